import { t } from '$lib/i18n/i18n.svelte';

/** How many people or organizations a picker lists at once (by name); a search narrows them. */
export const PICKER_SIZE = 200;

/** A picker's options: those already chosen (read by id), then those the search found, each once. */
export function pickerOptions<T extends { id: string }>(chosen: T[], found: T[]): T[] {
  const ids = new Set(chosen.map((c) => c.id));
  return [...chosen, ...found.filter((f) => !ids.has(f.id))];
}

/** What a picker says under its search: how many it found, and that only the first ones are listed when there are more. */
export function pickerHint(total: number): string {
  return total > PICKER_SIZE ? t('directory.pickerMore', { count: PICKER_SIZE, total }) : t('directory.pickerAll', { total });
}
