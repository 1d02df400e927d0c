import { Role, User } from '../../../api/src/users/user.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { DEMO_PASSWORD, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { STATEMENT_ES } from '../rounds/fixtures.js';

export { createFramework, openRound, ADD_COMMENT, hours } from '../rounds/fixtures.js';

export const PROPOSE = `mutation($input: ProposeRevisionInput!) { proposeRevision(input: $input) { id number status changeSummary parent { id number }
  answersComments { id body } } }`;
export const CREATE_BALLOT = `mutation($input: CreateBallotInput!) { createBallot(input: $input) { id status eligibleCount questions { id position revision { id } } } }`;
export const OPEN_BALLOT = `mutation($id: ID!) { openBallot(id: $id) { id status eligibleCount frozenAt } }`;
export const CLOSE_BALLOT = `mutation($id: ID!) { closeBallot(id: $id) { id status closedAt questions { id outcome decidedAt tally { approve reject abstain participants eligible quorumReached } } } }`;
export const CAST_VOTE = `mutation($input: CastVoteInput!) { castVote(input: $input) { id choice reason voter questionId } }`;
export const BALLOT = `query($id: ID!) { ballot(id: $id) { id status eligible tallyVisible eligibleCount rule secrecy quorum { numerator denominator } closedAt
  questions { id outcome decidedAt revision { id status } tally { approve reject abstain participants eligible quorumNeeded quorumReached }
    myVote { choice reason } votes { voter choice reason } } } }`;

/** A revision of `indicatorId` built on its version `basedOnVersionId`, with a changed statement. */
export async function propose(facilitator: GraphQLClient, indicatorId: string, basedOnVersionId: string, opts: { answers?: string[]; statement?: string } = {}) {
  const { proposeRevision } = await facilitator.data(PROPOSE, {
    input: {
      indicatorId,
      basedOnVersionId,
      texts: { title: { es: 'Indicador revisado' }, statement: { es: opts.statement ?? `${STATEMENT_ES} Se desagrega por zona rural y urbana.` } },
      changeSummary: 'Desagregar por zona, como pidieron los comentarios.',
      answersCommentIds: opts.answers ?? [],
    },
  });
  return proposeRevision as { id: string; number: number; status: string };
}

export interface BallotTerms {
  rule?: string;
  quorum?: { numerator: number; denominator: number };
  share?: { numerator: number; denominator: number } | null;
  secrecy?: string;
  eligibility?: string;
  organizationIds?: string[];
  opensAt?: string;
  closesAt?: string;
}

/** A ballot on the revisions, opened (terms frozen) unless `open: false`. */
export async function ballotOn(facilitator: GraphQLClient, revisionIds: string[], terms: BallotTerms = {}, open = true) {
  const { createBallot } = await facilitator.data(CREATE_BALLOT, {
    input: {
      title: { es: 'Votación de prueba', en: 'Test ballot' },
      revisionIds,
      eligibility: terms.eligibility ?? 'MEMBERS',
      organizationIds: terms.organizationIds ?? null,
      opensAt: terms.opensAt ?? new Date(Date.now() - 60_000).toISOString(),
      closesAt: terms.closesAt ?? new Date(Date.now() + 24 * 3600_000).toISOString(),
      quorum: terms.quorum ?? { numerator: 1, denominator: 2 },
      rule: terms.rule ?? 'SIMPLE_MAJORITY',
      share: terms.share ?? null,
      secrecy: terms.secrecy ?? 'SECRET_UNTIL_CLOSE',
    },
  });
  if (open) await facilitator.data(OPEN_BALLOT, { id: createBallot.id });
  return createBallot as { id: string; questions: { id: string; revision: { id: string } }[] };
}

/** `count` more MEMBERs written straight to the database (sharing one password hash), signed in. */
export async function addMembers(api: TestApi, count: number, organizationAcronym = 'COPEME', prefix = 'votante'): Promise<GraphQLClient[]> {
  const em = api.db.orm.em.fork();
  const organization = await em.findOneOrFail(Organization, { acronym: organizationAcronym });
  const passwordHash = await api.app.hasher.hash(DEMO_PASSWORD);
  const emails: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${prefix}${i}@consulta.test`;
    emails.push(email);
    em.create(User, { email, name: `Votante ${String(i).padStart(3, '0')}`, organization, roles: [Role.MEMBER], passwordHash });
  }
  await em.flush();
  const clients: GraphQLClient[] = [];
  // A few sign-ins at a time: each verifies a password hash, which is deliberately costly.
  for (let i = 0; i < emails.length; i += 8) clients.push(...(await Promise.all(emails.slice(i, i + 8).map((e) => api.as(e)))));
  return clients;
}

export const vote = (client: GraphQLClient, questionId: string, choice: string, reason: string | null = choice === 'REJECT' ? 'No mide lo que dice medir.' : null) =>
  client.data(CAST_VOTE, { input: { questionId, choice, reason } });
