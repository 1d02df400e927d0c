import { requireRole } from '$lib/auth.server';
import { confirmAndReturn } from '$lib/confirmation.server';
import { CreateRoundDraftDocument, RoundSetupFormDocument, RoundSetupFrameworksDocument } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { setupSections } from '$lib/components/rounds/setup-sections';
import type { Actions, PageServerLoad } from './$types';
import { localFailure, roundFailure, roundFormValues, roundInput, toggleSection } from '../round-setup.server';
import { localFromInstant } from '../../ballots/ballot.server';

const DAY = 86_400_000;

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const language = apiLanguage(event);
  const zone = event.locals.timeZone ?? 'UTC';
  const slug = event.url.searchParams.get('framework');
  const frameworks = await event.locals.api.query(RoundSetupFrameworksDocument, { language }).toPromise();
  if (!frameworks.data) loadFailed(frameworks.error);
  if (!slug) return { frameworks: frameworks.data.frameworks, setup: null, timeZone: zone };
  const result = await event.locals.api.query(RoundSetupFormDocument, { slug, language }).toPromise();
  if (!result.data) loadFailed(result.error);
  const framework = result.data.framework;
  if (!framework) return { frameworks: frameworks.data.frameworks, setup: null, timeZone: zone, unknownFramework: slug };
  // A new round: every indicator at its current version, open tomorrow at 09:00 for two weeks, for everyone.
  const now = Date.now();
  const initial: Record<string, string> = {
    audience: 'ALL',
    opensAt: `${localFromInstant(new Date(now + DAY), zone).slice(0, 10)}T09:00`,
    closesAt: `${localFromInstant(new Date(now + 15 * DAY), zone).slice(0, 10)}T18:00`,
    indicators: setupSections(framework).flatMap((s) => s.indicators.map((i) => i.id)).join(','),
  };
  return { frameworks: frameworks.data.frameworks, setup: { framework, organizations: result.data.organizations, initial }, timeZone: zone };
};

/** The framework the form was for (its id is sent with the form). */
const frameworkId = async (data: FormData) => String(data.get('frameworkId') ?? '');

export const actions: Actions = {
  /** Saves the round as a draft and goes to its page, where it is scheduled or opened. */
  save: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = roundFormValues(data);
    const { input, unsendable } = roundInput(event, values);
    if (Object.keys(unsendable).length) return localFailure(unsendable, values);
    const result = await event.locals.api
      .mutation(CreateRoundDraftDocument, { input: { ...input, frameworkId: await frameworkId(data), draft: true } })
      .toPromise();
    if (result.error || !result.data) return roundFailure(result.error, values);
    const id = result.data.createRound.id;
    confirmAndReturn({ url: new URL(`/rounds/${id}`, event.url), cookies: event.cookies }, { form: 'draftSaved' }, 'lifecycle-heading');
  },

  /** "Select all" or "clear" for a section, without scripts. */
  select: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const slug = event.url.searchParams.get('framework') ?? '';
    const result = await event.locals.api.query(RoundSetupFormDocument, { slug, language: apiLanguage(event) }).toPromise();
    if (!result.data?.framework) loadFailed(result.error);
    const sections = setupSections(result.data.framework);
    return toggleSection(roundFormValues(data), data, (id) => sections.find((s) => s.id === id)?.all ?? []);
  },
};
