import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, CREATE_ROUND, createFramework, hours, STATEMENT_ES, type FrameworkFixture } from './fixtures.js';

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;
let stakeholderEn: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'flow', areas: 2, perArea: 3 });
  [facilitator, stakeholder, member, stakeholderEn] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.member), api.as(demo.stakeholderEn)]);
});
afterAll(() => api?.stop());

const ROUND = `query($id: ID!) { round(id: $id) { id status commentCount undisposedCount replyCount resolvedAt
  indicators { commentCount undisposedCount indicator { id code } } myProgress { indicatorCount commentedCount commentedIndicatorIds } } }`;
const THREAD = `query($id: ID!) { comment(id: $id) { id body bodyHtml proposedChange editedAt withdrawnAt type
  anchor { field language exact prefix suffix start end }
  revisions { number body proposedChange type }
  disposition { status response responseHtml duplicateOfId decidedByName }
  replies { id body official author { name } replies { id body } } } }`;
const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id parentId threadId official body author { name } } }`;
const EDIT = `mutation($id: ID!, $input: EditCommentInput!) { editComment(id: $id, input: $input) { id body proposedChange type editedAt revisions { number body } } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawComment(id: $id) { id withdrawnAt } }`;
const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { status response duplicateOfId decidedByName comment { id } } }`;

describe('a full consultation round through GraphQL', () => {
  it('runs open → anchored comment → reply → edit → withdraw → close → dispositions → resolve, each step read back as written', async () => {
    const target = fw.areas[0].indicators[0];
    const opensAt = hours(2);
    const closesAt = hours(48);
    const { createRound: round } = await facilitator.data(CREATE_ROUND, {
      input: { frameworkId: fw.id, title: { es: 'Primera ronda', en: 'First round' }, instructions: { es: 'Lea y comente.' }, opensAt, closesAt },
    });
    expect(round).toMatchObject({ status: 'SCHEDULED', opensAt, closesAt, title: { value: 'Primera ronda', language: 'ES' }, instructions: { value: 'Lea y comente.' }, audience: { all: true } });
    expect(round.indicators.map((i: { indicator: { code: string } }) => i.indicator.code)).toEqual(['A0-01', 'A0-02', 'A0-03', 'A1-01', 'A1-02', 'A1-03']);

    // Open.
    const { openRoundNow } = await facilitator.data(`mutation($id: ID!) { openRoundNow(id: $id) { status } }`, { id: round.id });
    expect(openRoundNow.status).toBe('OPEN');

    // An anchored comment by a stakeholder.
    const start = STATEMENT_ES.indexOf('nuevas prestatarias mujeres');
    const input = {
      roundId: round.id,
      targetKind: 'INDICATOR_VERSION',
      targetId: target.versionId,
      type: 'TECHNICAL',
      body: 'Conviene **precisar** el periodo de referencia.',
      proposedChange: 'nuevas prestatarias mujeres en los últimos 12 meses',
      anchor: { field: 'STATEMENT', language: 'ES', exact: 'nuevas prestatarias mujeres', start, end: start + 'nuevas prestatarias mujeres'.length },
    };
    const { addComment: comment } = await stakeholder.data(ADD_COMMENT, { input });
    expect(comment).toMatchObject({
      targetKind: 'INDICATOR_VERSION',
      type: 'TECHNICAL',
      body: input.body,
      bodyHtml: '<p>Conviene <strong>precisar</strong> el periodo de referencia.</p>',
      proposedChange: input.proposedChange,
      anchor: { field: 'STATEMENT', language: 'ES', exact: 'nuevas prestatarias mujeres', prefix: STATEMENT_ES.slice(0, start).slice(-32), suffix: STATEMENT_ES.slice(input.anchor.end).slice(0, 32), start, end: input.anchor.end },
      author: { name: 'Rosa Mamani', organizationName: 'Crecer Juntas Microfinanzas', organizationKind: 'MFI', country: 'PE' },
    });

    // A second comment, by a member, on the section; it will be withdrawn.
    const { addComment: other } = await member.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'SECTION', targetId: fw.areas[1].id, type: 'GENERAL', body: 'Comentario general sobre el área.' } });
    // A third, in English, on the framework as a whole.
    const { addComment: third } = await stakeholderEn.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'FRAMEWORK', type: 'EDITORIAL', body: 'Please align the terminology with the USSPM.' } });

    // A reply, then the facilitator's official reply under it.
    const { replyToComment: reply } = await member.data(REPLY, { input: { parentId: comment.id, body: 'De acuerdo, 12 meses.' } });
    expect(reply).toMatchObject({ parentId: comment.id, threadId: comment.id, official: false, author: { name: 'Mario Gutiérrez' } });
    const { replyToComment: official } = await facilitator.data(REPLY, { input: { parentId: reply.id, body: 'Lo tomamos en cuenta.', official: true } });
    expect(official).toMatchObject({ parentId: reply.id, threadId: comment.id, official: true });

    // The author edits; the earlier text is kept.
    const { editComment: edited } = await stakeholder.data(EDIT, { id: comment.id, input: { body: 'Conviene precisar el **periodo** (12 meses).', proposedChange: 'en los últimos 12 meses', type: 'EDITORIAL' } });
    expect(edited).toMatchObject({ body: 'Conviene precisar el **periodo** (12 meses).', proposedChange: 'en los últimos 12 meses', type: 'EDITORIAL', revisions: [{ number: 1, body: input.body }] });

    // Someone else cannot edit or withdraw it.
    expect((await member.error(EDIT, { id: comment.id, input: { body: 'x' } })).extensions?.reason).toBe('NOT_AUTHOR');
    expect((await facilitator.error(WITHDRAW, { id: comment.id })).code).toBe('FORBIDDEN');

    // The member withdraws their own.
    const { withdrawComment } = await member.data(WITHDRAW, { id: other.id });
    expect(withdrawComment.withdrawnAt).toBeTruthy();

    let { round: state } = await stakeholder.data(ROUND, { id: round.id });
    expect(state).toMatchObject({ status: 'OPEN', commentCount: 2, undisposedCount: 2, replyCount: 2, myProgress: { indicatorCount: 6, commentedCount: 1, commentedIndicatorIds: [target.id] } });
    expect(state.indicators[0]).toMatchObject({ commentCount: 1, undisposedCount: 1 });

    // Close.
    const { closeRoundNow } = await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { status } }`, { id: round.id });
    expect(closeRoundNow.status).toBe('CLOSED');
    expect((await stakeholder.error(EDIT, { id: comment.id, input: { body: 'tarde' } })).extensions?.reason).toBe('ROUND_CLOSED');

    // Resolving now is refused with the count of comments lacking a disposition.
    const refused = await facilitator.error(`mutation($id: ID!) { resolveRound(id: $id) { id } }`, { id: round.id });
    expect(refused.code).toBe('CONFLICT');
    expect(refused.extensions?.missing).toBe(2);

    // Dispositions: one singly, then a change; the other in bulk.
    await facilitator.data(DISPOSE, { input: { commentIds: [comment.id], status: 'REJECTED', response: 'No.' } });
    const { setDispositions } = await facilitator.data(DISPOSE, { input: { commentIds: [comment.id], status: 'PARTIALLY_ACCEPTED', response: 'Se precisa el periodo; se mantiene la *redacción*.' } });
    expect(setDispositions).toEqual([{ status: 'PARTIALLY_ACCEPTED', response: 'Se precisa el periodo; se mantiene la *redacción*.', duplicateOfId: null, decidedByName: 'Karla Hernández', comment: { id: comment.id } }]);
    ({ round: state } = await facilitator.data(ROUND, { id: round.id }));
    expect(state).toMatchObject({ undisposedCount: 1 });
    expect((await facilitator.error(`mutation($id: ID!) { resolveRound(id: $id) { id } }`, { id: round.id })).extensions?.missing).toBe(1);
    await facilitator.data(DISPOSE, { input: { commentIds: [third.id], status: 'NOTED', response: 'Gracias.' } });

    const { resolveRound } = await facilitator.data(`mutation($id: ID!) { resolveRound(id: $id) { status resolvedAt } }`, { id: round.id });
    expect(resolveRound.status).toBe('RESOLVED');

    // The stakeholder reads the whole thread back.
    const { comment: thread } = await stakeholder.data(THREAD, { id: comment.id });
    expect(thread).toMatchObject({
      body: 'Conviene precisar el **periodo** (12 meses).',
      bodyHtml: '<p>Conviene precisar el <strong>periodo</strong> (12 meses).</p>',
      revisions: [{ number: 1, body: input.body, proposedChange: input.proposedChange, type: 'TECHNICAL' }],
      disposition: { status: 'PARTIALLY_ACCEPTED', responseHtml: '<p>Se precisa el periodo; se mantiene la <em>redacción</em>.</p>', decidedByName: 'Karla Hernández' },
      replies: [{ id: reply.id, body: 'De acuerdo, 12 meses.', official: false, author: { name: 'Mario Gutiérrez' }, replies: [{ id: official.id, body: 'Lo tomamos en cuenta.' }] }],
    });
    const { comment: withdrawn } = await facilitator.data(THREAD, { id: other.id });
    expect(withdrawn.withdrawnAt).toBeTruthy();
    expect(withdrawn.body).toBe('Comentario general sobre el área.');
    ({ round: state } = await facilitator.data(ROUND, { id: round.id }));
    expect(state).toMatchObject({ commentCount: 2, undisposedCount: 0 });
    expect(state.indicators[0]).toMatchObject({ commentCount: 1, undisposedCount: 0 });

    // Every change is in the round's audit log.
    const actions = (await api.db.orm.em.fork().find(AuditEntry, { scopeId: round.id }, { orderBy: { id: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual([
      'round.created', 'round.opened', 'comment.added', 'comment.added', 'comment.added', 'comment.replied', 'comment.replied',
      'comment.edited', 'comment.withdrawn', 'round.closed', 'disposition.set', 'disposition.changed', 'disposition.set', 'round.resolved',
    ]);
  });

  it('extending a deadline moves the closing time and is audited', async () => {
    const { createRound: round } = await facilitator.data(CREATE_ROUND, { input: { frameworkId: fw.id, title: { es: 'Ronda corta' }, opensAt: hours(-2), closesAt: hours(1) } });
    const later = hours(72);
    const { extendRound } = await facilitator.data(`mutation($id: ID!, $at: DateTimeISO!) { extendRound(id: $id, closesAt: $at) { closesAt status } }`, { id: round.id, at: later });
    expect(extendRound).toEqual({ closesAt: later, status: 'OPEN' });
    const err = await facilitator.error(`mutation($id: ID!, $at: DateTimeISO!) { extendRound(id: $id, closesAt: $at) { id } }`, { id: round.id, at: hours(2) });
    expect(err.extensions?.fields?.[0].field).toBe('closesAt');
    const entry = await api.db.orm.em.fork().findOneOrFail(AuditEntry, { scopeId: round.id, action: 'round.extended' });
    expect(entry.data.closesAt).toBe(later);
  });

  it('a round that closes before it opens is BAD_USER_INPUT naming closesAt, and nothing is stored', async () => {
    const err = await facilitator.error(CREATE_ROUND, { input: { frameworkId: fw.id, title: { es: 'Al revés' }, opensAt: hours(5), closesAt: hours(4) } });
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.extensions?.reason).toBe('DATES_OUT_OF_ORDER');
    expect(err.extensions?.fields).toEqual([{ field: 'closesAt', reason: 'DATES_OUT_OF_ORDER', message: 'The round must close after it opens' }]);
    expect(await api.db.orm.em.fork().count(AuditEntry, { action: 'round.created', data: { title: { es: 'Al revés' } } })).toBe(0);
  });

  it('ratings are refused on a certification framework', async () => {
    const err = await facilitator.error(CREATE_ROUND, { input: { frameworkId: fw.id, title: { es: 'Con puntajes' }, opensAt: hours(-1), closesAt: hours(4), ratingsEnabled: true } });
    expect(err.extensions?.fields?.[0].field).toBe('ratingsEnabled');
  });
});

describe('who may run a round', () => {
  const roundOps = [
    ['createRound', `mutation($id: ID!) { createRound(input: { frameworkId: $id, title: { es: "x" }, opensAt: "${hours(1)}", closesAt: "${hours(2)}" }) { id } }`],
    ['openRoundNow', `mutation($id: ID!) { openRoundNow(id: $id) { id } }`],
    ['extendRound', `mutation($id: ID!) { extendRound(id: $id, closesAt: "${hours(100)}") { id } }`],
    ['closeRoundNow', `mutation($id: ID!) { closeRoundNow(id: $id) { id } }`],
    ['resolveRound', `mutation($id: ID!) { resolveRound(id: $id) { id } }`],
    ['setDispositions', `mutation($id: ID!) { setDispositions(input: { commentIds: [$id], status: NOTED }) { id } }`],
  ] as const;

  it.each(roundOps)('a stakeholder or member calling %s is FORBIDDEN and nothing is audited', async (_name, doc) => {
    const before = await api.db.orm.em.fork().count(AuditEntry, {});
    for (const client of [stakeholder, member]) {
      const err = await client.error(doc, { id: fw.id });
      expect(err.code).toBe('FORBIDDEN');
    }
    expect(await api.db.orm.em.fork().count(AuditEntry, {})).toBe(before);
  });

  it('signed out, every consultation query is UNAUTHENTICATED', async () => {
    const anon = api.client();
    expect((await anon.error(`{ rounds { id } }`)).code).toBe('UNAUTHENTICATED');
    expect((await anon.error(`query($id: ID!) { roundComments(roundId: $id) { totalCount } }`, { id: fw.id })).code).toBe('UNAUTHENTICATED');
  });

  it('only a facilitator marks a reply official', async () => {
    const { createRound: round } = await facilitator.data(CREATE_ROUND, { input: { frameworkId: fw.id, title: { es: 'Oficial' }, opensAt: hours(-1), closesAt: hours(5) } });
    const { addComment } = await stakeholder.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'FRAMEWORK', type: 'GENERAL', body: 'Hola' } });
    const err = await member.error(REPLY, { input: { parentId: addComment.id, body: 'Respuesta oficial', official: true } });
    expect(err).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'OFFICIAL_REPLY_FACILITATOR_ONLY' } });
  });
});
