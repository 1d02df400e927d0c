/** `datetime-local` form values (a wall-clock time, no zone) and instants, in the viewer's time zone: the ballot console, the round form, the audit filter. */

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
