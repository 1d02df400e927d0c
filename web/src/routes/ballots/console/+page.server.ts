import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { pickerQuery, pickerSearchAction } from '$lib/directory.server';
import { formValues } from '$lib/forms.server';
import {
  BallotConsoleDocument,
  CloseBallotDocument,
  CreateBallotDocument,
  DeleteBallotDocument,
  OpenBallotDocument,
  type BallotEligibility,
  type BallotSecrecy,
  type PassingRule,
} from '$lib/graphql/generated';
import type { Actions, PageServerLoad } from './$types';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { ballotFailure } from '../ballot.server';
import { instantFromLocal, localFromInstant } from '$lib/local-time';

const DAY = 86_400_000;

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const result = await event.locals.api.query(BallotConsoleDocument, { language: apiLanguage(event), organizationSearch: pickerQuery(event, 'orgq') }).toPromise();
  if (!result.data) loadFailed(result.error);
  const zone = event.locals.timeZone ?? 'UTC';
  const now = new Date();
  return {
    ...result.data,
    timeZone: zone,
    confirmation: takeConfirmation(event),
    defaults: { opensAt: localFromInstant(now, zone), closesAt: localFromInstant(new Date(now.getTime() + 14 * DAY), zone) },
  };
};

const FIELDS = ['titleEs', 'titleEn', 'opensAt', 'closesAt', 'quorumNumerator', 'quorumDenominator', 'rule', 'shareNumerator', 'shareDenominator', 'secrecy', 'eligibility'];

export const actions: Actions = {
  /** A ballot in draft on the chosen revisions; its terms are fixed only when it is opened. */
  create: async (event) => {
    requireRole(event, 'FACILITATOR');
    const data = await event.request.formData();
    const values = formValues(data, ...FIELDS);
    const zone = event.locals.timeZone ?? 'UTC';
    const rule = values.rule as PassingRule;
    const input = {
      title: { es: values.titleEs || null, en: values.titleEn || null },
      revisionIds: data.getAll('revisionIds').map(String),
      eligibility: values.eligibility as BallotEligibility,
      organizationIds: data.getAll('organizationIds').map(String),
      opensAt: instantFromLocal(values.opensAt, zone),
      closesAt: instantFromLocal(values.closesAt, zone),
      quorum: { numerator: Number(values.quorumNumerator), denominator: Number(values.quorumDenominator) },
      rule,
      share: rule === 'QUALIFIED_MAJORITY' ? { numerator: Number(values.shareNumerator), denominator: Number(values.shareDenominator) } : null,
      secrecy: values.secrecy as BallotSecrecy,
    };
    const result = await event.locals.api.mutation(CreateBallotDocument, { input: input as never }).toPromise();
    if (result.error || !result.data) return ballotFailure(result.error, values, { form: 'create', otherFields: ['title', 'revisionIds', 'organizationIds', 'quorum', 'share'] });
    const id = result.data.createBallot.id;
    confirmAndReturn(event, { form: 'create', ballotId: id }, `ballot-${id}`);
  },

  /** The organizations' search without scripts: the new ballot's form comes back as typed, with what the search found. */
  pickerSearch: pickerSearchAction('create', 'orgq', FIELDS, ['revisionIds', 'organizationIds']),

  open: async (event) => {
    requireRole(event, 'FACILITATOR');
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await event.locals.api.mutation(OpenBallotDocument, { id }).toPromise();
    if (result.error || !result.data) return ballotFailure(result.error, { id }, { form: `ballot-${id}` });
    confirmAndReturn(event, { form: 'open', ballotId: id }, `ballot-${id}`);
  },

  /** A draft only: its revisions are free again for another ballot. */
  delete: async (event) => {
    requireRole(event, 'FACILITATOR');
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await event.locals.api.mutation(DeleteBallotDocument, { id }).toPromise();
    if (result.error || !result.data) return ballotFailure(result.error, { id }, { form: `ballot-${id}` });
    confirmAndReturn(event, { form: 'delete' }, 'ballots-heading');
  },

  close: async (event) => {
    requireRole(event, 'FACILITATOR');
    const id = String((await event.request.formData()).get('id') ?? '');
    const result = await event.locals.api.mutation(CloseBallotDocument, { id }).toPromise();
    if (result.error || !result.data) return ballotFailure(result.error, { id }, { form: `ballot-${id}` });
    confirmAndReturn(event, { form: 'close', ballotId: id }, `ballot-${id}`);
  },
};
