import type { RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn } from '$lib/confirmation.server';
import { ExtendRoundDocument, OpenRoundNowDocument, ScheduleRoundDocument, type RoundQuery } from '$lib/graphql/generated';
import { validTimeZone } from '$lib/i18n/locales';
import { instantFromLocal, localFromInstant } from '$lib/local-time';
import { roundFailure } from '$lib/components/rounds/round-form.server';
import { fieldFailure } from '$lib/forms.server';

type Step = 'schedule' | 'open' | 'extend' | 'close';
/** Which steps a round's status offers. */
const OFFERED: Record<string, Step[]> = {
  DRAFT: ['schedule', 'open'],
  SCHEDULED: ['open', 'extend'],
  OPEN: ['extend', 'close'],
  CLOSED: ['extend'],
  RESOLVED: [],
};

/**
 * The round page's settings: which changes its status offers, and the one being confirmed. A change
 * is asked for with a plain link or GET form (`?confirm=open`, `?confirm=extend&closesAt=…`), shown
 * back as a question, and made only by the POST of that question's form: it works without scripts.
 */
export function confirmStep(event: Pick<RequestEvent, 'url' | 'locals'>, round: Pick<RoundQuery['round'], 'status' | 'closesAt'>) {
  const zone = event.locals.timeZone ?? 'UTC';
  const offered = OFFERED[round.status] ?? [];
  const asked = event.url.searchParams.get('confirm') as Step | null;
  const step = asked && offered.includes(asked) ? asked : null;
  let closesAt: string | null = null;
  let closesAtLocal = event.url.searchParams.get('closesAt') ?? '';
  if (step === 'extend') closesAt = instantFromLocal(closesAtLocal, validTimeZone(event.url.searchParams.get('timeZone') ?? undefined) ?? zone);
  if (!closesAtLocal) closesAtLocal = localFromInstant(new Date(new Date(round.closesAt).getTime() + 7 * 86_400_000), zone);
  return { offered, step, closesAt, closesAtLocal, timeZone: zone, invalidDate: step === 'extend' && !closesAt };
}

/** Back to the round page, without the confirmation's query, at its settings. */
function back(event: RequestEvent, form: string): never {
  confirmAndReturn({ url: new URL(event.url.pathname, event.url), cookies: event.cookies }, { form }, 'lifecycle-heading');
}

export const lifecycleActions = {
  /** A draft made public, to open at its opening time. */
  schedule: async (event: RequestEvent<{ id: string }>) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(ScheduleRoundDocument, { id: event.params.id }).toPromise();
    if (result.error || !result.data) return roundFailure(result.error, {}, 'lifecycle');
    back(event, 'scheduled');
  },

  /** A draft or a scheduled round opened now. */
  open: async (event: RequestEvent<{ id: string }>) => {
    requireRole(event, 'FACILITATOR');
    const result = await event.locals.api.mutation(OpenRoundNowDocument, { id: event.params.id }).toPromise();
    if (result.error || !result.data) return roundFailure(result.error, {}, 'lifecycle');
    back(event, 'opened');
  },

  /** A later closing time (the instant the confirmation showed). */
  extend: async (event: RequestEvent<{ id: string }>) => {
    requireRole(event, 'FACILITATOR');
    const closesAt = String((await event.request.formData()).get('closesAt') ?? '');
    if (!closesAt || Number.isNaN(Date.parse(closesAt))) return fieldFailure('lifecycle', {}, { closesAt: 'rounds.error.invalidDate' });
    const result = await event.locals.api.mutation(ExtendRoundDocument, { id: event.params.id, closesAt }).toPromise();
    if (result.error || !result.data) return roundFailure(result.error, {}, 'lifecycle');
    back(event, 'extended');
  },
};
