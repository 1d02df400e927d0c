import type { CombinedError } from '@urql/core';
import { formFailure } from '$lib/forms.server';
import { hasMessage } from '$lib/i18n/catalog.server';
import { problemOf } from '$lib/graphql/problems';

/** `formFailure`, with the ballot's own reasons (closed, not eligible, reason required…) from the ballots catalog. */
export function ballotFailure(err: CombinedError | undefined, values: Record<string, string>, options: { form?: string; otherFields?: string[] } = {}) {
  const failure = formFailure(err, values, options);
  const reason = problemOf(err)?.reason;
  if (reason && hasMessage(`ballots.error.${reason}`)) {
    failure.data.message = `ballots.error.${reason}`;
    for (const name of Object.keys(failure.data.fields)) failure.data.fields[name] = `ballots.error.${reason}`;
  }
  return failure;
}

/**
 * A `datetime-local` value (no zone) read in the viewer's time zone (UTC when unknown), as an ISO
 * instant; null when empty or malformed.
 */
export function instantFromLocal(local: string, timeZone = 'UTC'): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const asUtc = new Date(`${local}:00Z`);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(asUtc);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(asUtc.getTime() - (wall - asUtc.getTime())).toISOString();
}

/** An instant as a `datetime-local` value in the viewer's time zone. */
export function localFromInstant(instant: Date, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
