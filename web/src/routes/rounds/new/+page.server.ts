import { requireRole } from '$lib/auth.server';
import { CreateRoundDraftDocument, RoundSetupFrameworksDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { setupSections } from '$lib/components/rounds/setup-sections';
import type { Actions, PageServerLoad } from './$types';
import { roundFormActions } from '$lib/components/rounds/round-form.server';
import { roundSetupForm } from '$lib/components/rounds/round-audience.server';
import { localFromInstant } from '$lib/local-time';

const DAY = 86_400_000;

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const language = apiLanguage(event);
  const zone = event.locals.timeZone ?? 'UTC';
  const slug = event.url.searchParams.get('framework');
  const frameworks = await event.locals.api.query(RoundSetupFrameworksDocument, { language }).toPromise();
  if (!frameworks.data) loadFailed(frameworks.error);
  if (!slug) return { frameworks: frameworks.data.frameworks, setup: null, timeZone: zone };
  const { framework, organizations, organizationsFound } = await roundSetupForm(event, slug);
  if (!framework) return { frameworks: frameworks.data.frameworks, setup: null, timeZone: zone, unknownFramework: slug };
  // A new round: every indicator at its current version, open tomorrow at 09:00 for two weeks, for everyone.
  const now = Date.now();
  const initial: Record<string, string> = {
    audience: 'ALL',
    opensAt: `${localFromInstant(new Date(now + DAY), zone).slice(0, 10)}T09:00`,
    closesAt: `${localFromInstant(new Date(now + 15 * DAY), zone).slice(0, 10)}T18:00`,
    indicators: setupSections(framework).flatMap((s) => s.indicators.map((i) => i.id)).join(','),
  };
  return { frameworks: frameworks.data.frameworks, setup: { framework, organizations, organizationsFound, initial }, timeZone: zone };
};

export const actions: Actions = roundFormActions(
  async (event, input, data) => {
    const result = await event.locals.api
      .mutation(CreateRoundDraftDocument, { input: { ...input, frameworkId: String(data.get('frameworkId') ?? ''), draft: true } })
      .toPromise();
    return { error: result.error, id: result.data?.createRound.id };
  },
  async (event) => {
    const { framework } = await roundSetupForm(event, event.url.searchParams.get('framework') ?? '');
    if (!framework) loadFailed(undefined);
    return framework;
  },
);
