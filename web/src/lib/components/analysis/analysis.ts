import type { DispositionStatus, FeedbackSourceKind, OrganizationKind } from '$lib/graphql/generated';
import type { FormFailure } from '$lib/forms';
import { locale } from '$lib/i18n/i18n.svelte';
import { intlTag } from '$lib/i18n/locales';

export const SOURCE_KINDS: FeedbackSourceKind[] = ['WORKSHOP', 'MEETING', 'EMAIL', 'PAPER', 'OTHER'];
export const ORGANIZATION_KINDS: OrganizationKind[] = ['NETWORK', 'MFI', 'DONOR', 'RATING_AGENCY', 'REGULATOR', 'OTHER'];

/** A country's name in the page's language, from its ISO 3166-1 code (the code itself if Intl does not know it). */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([intlTag[locale()]], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** What follows an author's name: ", organization (country)", either part left out when unknown. */
export function affiliation(author: { organizationName: string | null; country: string | null }): string {
  return `${author.organizationName ? `, ${author.organizationName}` : ''}${author.country ? ` (${author.country})` : ''}`;
}

/** The disposition queue, filtered: `queueHref(id, { theme: x, disposition: 'ALL' })`. */
export function queueHref(roundId: string, filter: Record<string, string>): string {
  return `/rounds/${roundId}/dispositions?${new URLSearchParams(filter)}`;
}

/** A share for a label beside a bar (Intl formats it: 42 %, 42%). */
export const share = (n: number, total: number) => (total ? n / total : 0);

/** The failure of the named form, if it is the one that just failed (pages with several forms). */
export function failureOf(form: unknown, name: string): FormFailure | undefined {
  const f = form as (FormFailure & { form?: string }) | null | undefined;
  return f && f.form === name && 'message' in f ? f : undefined;
}

/**
 * The disposition form's fields as the API wants them: the comment they repeat only with DUPLICATE (without
 * JavaScript the field is always on the page, so it may come back filled in for another status).
 */
export function dispositionChoice(data: FormData) {
  const status = String(data.get('status') ?? '') as DispositionStatus;
  const duplicateOfId = String(data.get('duplicateOfId') ?? '');
  return { status, response: String(data.get('response') ?? ''), duplicateOfId: status === 'DUPLICATE' && duplicateOfId ? duplicateOfId : null };
}
