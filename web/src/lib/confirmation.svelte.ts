import { page } from '$app/state';
import { untrack } from 'svelte';
import type { Confirmation } from './forms';

/**
 * The confirmation of the form just sent, for the page to show. It arrives once, with the data of the
 * page the form returned to (confirmation.server.ts). This keeps it while that page reloads its data in
 * place (a live update arriving a moment later would otherwise wipe it), and lets it go when the person
 * moves to another address or a later form on the page is refused.
 */
export function sentConfirmation(): { readonly current: Confirmation | null } {
  const here = () => page.url.pathname + page.url.search;
  const fresh = () => (page.data.confirmation as Confirmation | null | undefined) ?? null;
  let kept = $state<{ at: string; confirmation: Confirmation } | null>(null);
  $effect.pre(() => {
    const confirmation = fresh();
    const at = here();
    if (confirmation) kept = { at, confirmation };
    else if (untrack(() => kept?.at) !== at) kept = null;
  });
  return {
    get current() {
      if (page.form) return null;
      return fresh() ?? (kept?.at === here() ? kept.confirmation : null);
    },
  };
}
