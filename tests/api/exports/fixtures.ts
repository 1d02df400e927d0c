import { PracticeRating, RatingValue } from '../../../api/src/ratings/practice-rating.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, ballotOn, CLOSE_BALLOT, createFramework, openRound, propose, vote } from '../ballots/fixtures.js';
import { STATEMENT_ES, type FrameworkFixture } from '../rounds/fixtures.js';

/** The import result's selection, and its counts as one object to match against. */
export const IMPORT_COUNTS = 'counts { table rows }';
export const rowsByTable = (counts: Array<{ table: string; rows: number }>) => Object.fromEntries(counts.map((c) => [c.table, c.rows]));

/** Every accented letter the issue names, in one comment: each format must carry it through. */
export const ACCENTED = 'Añadir la desagregación por género y zona rural: ação, français, ça, ñandú, canción.';

const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { status } }`;
const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawComment(id: $id) { id } }`;

export interface SeededRound {
  roundId: string;
  fw: FrameworkFixture;
  facilitator: GraphQLClient;
  stakeholder: GraphQLClient;
  commentIds: { anchored: string; second: string; section: string; framework: string; withdrawn: string };
  revisionId: string;
  ballotId: string;
}

/**
 * A round taken through its whole life over the real API: comments (anchored, on a section, on
 * the whole framework, one withdrawn) with a reply, closed, every standing comment disposed,
 * a revision answering one of them put to a ballot that members decide, practice ratings, resolved.
 */
export async function seedExportRound(api: TestApi, slug = 'export-fw'): Promise<SeededRound> {
  const fw = await createFramework(api.db.orm, { slug, areas: 2, perArea: 2 });
  const [facilitator, stakeholder, member, member2, member3] = await Promise.all(
    [demo.facilitator, demo.stakeholder, demo.member, demo.member2, demo.member3].map((e) => api.as(e)),
  );
  const round = await openRound(facilitator, fw);
  const target = fw.areas[0].indicators[0];
  const add = async (client: GraphQLClient, input: Record<string, unknown>) => (await client.data(ADD_COMMENT, { input: { roundId: round.id, ...input } })).addComment.id as string;
  const start = STATEMENT_ES.indexOf('nuevas prestatarias mujeres');
  const anchored = await add(stakeholder, {
    targetKind: 'INDICATOR_VERSION',
    targetId: target.versionId,
    type: 'TECHNICAL',
    body: ACCENTED,
    proposedChange: 'nuevas prestatarias mujeres, con "comillas", comas y\nun salto de línea',
    anchor: { field: 'STATEMENT', language: 'ES', exact: 'nuevas prestatarias mujeres', start, end: start + 'nuevas prestatarias mujeres'.length },
  });
  const second = await add(member, { targetKind: 'INDICATOR_VERSION', targetId: fw.areas[1].indicators[1].versionId, type: 'EDITORIAL', body: 'Corregir la redacción del título.' });
  const section = await add(member2, { targetKind: 'SECTION', targetId: fw.areas[1].id, type: 'GENERAL', body: 'Comentario general sobre el área 1.' });
  const framework = await add(member3, { targetKind: 'FRAMEWORK', type: 'GENERAL', body: 'El marco completo necesita un glosario.' });
  const withdrawn = await add(stakeholder, { targetKind: 'INDICATOR_VERSION', targetId: target.versionId, type: 'GENERAL', body: 'Lo retiro: me equivoqué de indicador.' });
  await facilitator.data(REPLY, { input: { parentId: anchored, body: 'Gracias; lo revisaremos en el grupo de trabajo.', official: true } });
  await stakeholder.data(WITHDRAW, { id: withdrawn });

  const em = api.db.orm.em.fork();
  const raters = await em.find(User, { email: { $in: [demo.stakeholder, demo.member, demo.member2] } }, { orderBy: { email: 'asc' } });
  const values = [RatingValue.ESSENTIAL, RatingValue.ESSENTIAL, RatingValue.USEFUL];
  raters.forEach((u, i) => em.create(PracticeRating, { round: em.getReference(ConsultationRound, round.id), indicator: em.getReference(Indicator, target.id), userId: u.id, value: values[i] }));
  await em.flush();

  await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { status } }`, { id: round.id });
  await facilitator.data(DISPOSE, { input: { commentIds: [anchored], status: 'ACCEPTED', response: 'Se desagregará por género y zona; acción tomada.' } });
  await facilitator.data(DISPOSE, { input: { commentIds: [second, section], status: 'NOTED', response: 'Tomado en cuenta.' } });
  await facilitator.data(DISPOSE, { input: { commentIds: [framework], status: 'REJECTED', response: 'Fuera del alcance de esta ronda.' } });

  const revision = await propose(facilitator, target.id, target.versionId, { answers: [anchored] });
  const ballot = await ballotOn(facilitator, [revision.id]);
  await vote(member, ballot.questions[0].id, 'APPROVE');
  await vote(member2, ballot.questions[0].id, 'APPROVE');
  await vote(member3, ballot.questions[0].id, 'REJECT');
  await facilitator.data(CLOSE_BALLOT, { id: ballot.id });
  await facilitator.data(`mutation($id: ID!) { resolveRound(id: $id) { status } }`, { id: round.id });

  return { roundId: round.id, fw, facilitator, stakeholder, commentIds: { anchored, second, section, framework, withdrawn }, revisionId: revision.id, ballotId: ballot.id };
}

/** A download through the export endpoint with a client's session cookie. */
export async function download(api: TestApi, client: GraphQLClient | null, roundId: string, params: Record<string, string | string[]> = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const value of [v].flat()) query.append(k, value);
  const res = await fetch(`${api.url}/exports/rounds/${roundId}?${query}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

/** A `consulta-round` document as JSON.parse gives it: rows are the database rows by column name. */
export interface RoundDocument {
  format: string;
  version: number;
  roundId: string;
  tables: Record<string, Record<string, unknown>[]>;
}

/**
 * The document without what docs/export-format.md names instance-specific for an import into an
 * instance that held none of its rows: each audit entry's number here (`id`) and the number it had
 * where it was imported from (`source_id`). A round's export and the re-export of its import equal in this form.
 */
export function withoutInstanceNumbers(document: RoundDocument): RoundDocument {
  const copy = structuredClone(document);
  copy.tables.audit_entry = copy.tables.audit_entry.map(({ id: _id, source_id: _source, ...entry }) => entry);
  return copy;
}
