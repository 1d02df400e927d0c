import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { BallotVote } from '../../../api/src/ballots/ballot-vote.entity.js';
import { Answer } from '../../../api/src/certification/assessment.entity.js';
import { SchemeIndicator } from '../../../api/src/certification/scheme.entity.js';
import { Comment } from '../../../api/src/comments/comment.entity.js';
import { FrameworkKind } from '../../../api/src/frameworks/framework.entity.js';
import { pruneIdempotencyKeys } from '../../../api/src/idempotency/idempotency-key.js';
import { PracticeRating } from '../../../api/src/ratings/practice-rating.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { CAST_VOTE, ballotOn, propose } from '../ballots/fixtures.js';
import { INSTITUTION, assessment, certificationScheme } from '../certification/fixtures.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';

const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id body } }`;
const RATE = `mutation($input: RatePracticeInput!) { ratePractice(input: $input) { id value comment } }`;
const SAVE = `mutation($input: SaveAnswerInput!) { saveAnswer(input: $input) { id judgment revision } }`;

let api: TestApi;
let fw: FrameworkFixture;
let practices: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;
let roundId: string;
let practiceRoundId: string;
let questionId: string;

const em = () => api.db.orm.em.fork();
const audited = (action: string, scopeId?: string) => em().count(AuditEntry, scopeId ? { action, scopeId } : { action });
const keys = async () => Number((await em().execute<{ n: number }[]>('select count(*)::int as n from idempotency_key'))[0].n);

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, stakeholder, member] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.member)]);
  fw = await createFramework(api.db.orm, { slug: 'offline', areas: 1, perArea: 3 });
  practices = await createFramework(api.db.orm, { slug: 'offline-practices', kind: FrameworkKind.PRACTICES, areas: 1, perArea: 3 });
  roundId = (await openRound(facilitator, fw)).id;
  practiceRoundId = (await openRound(facilitator, practices, { ratingsEnabled: true })).id;
  const revision = await propose(facilitator, fw.areas[0].indicators[1].id, fw.areas[0].indicators[1].versionId);
  questionId = (await ballotOn(facilitator, [revision.id])).questions[0].id;
});
afterAll(() => api?.stop());

const commentInput = (body: string, idempotencyKey: string) => ({
  roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.areas[0].indicators[0].versionId, type: 'GENERAL', body, idempotencyKey,
});

describe('the same idempotency key twice gives the same result and one row', () => {
  it('addComment: the second request returns the first comment and writes nothing', async () => {
    const key = randomUUID();
    const before = await em().count(Comment, { round: roundId });
    const first = await stakeholder.data(ADD_COMMENT, { input: commentInput('Escrito sin conexión en el bus.', key) });
    const second = await stakeholder.data(ADD_COMMENT, { input: commentInput('Escrito sin conexión en el bus.', key) });
    expect(second.addComment.id).toBe(first.addComment.id);
    expect(await em().count(Comment, { round: roundId })).toBe(before + 1);
    expect(await audited('comment.added', roundId)).toBe(before + 1);
  });

  it('replyToComment', async () => {
    const { addComment } = await stakeholder.data(ADD_COMMENT, { input: commentInput('Un hilo para responder.', randomUUID()) });
    const input = { parentId: addComment.id, body: 'Respondo desde el campo.', idempotencyKey: randomUUID() };
    const first = await member.data(REPLY, { input });
    const second = await member.data(REPLY, { input });
    expect(second.replyToComment.id).toBe(first.replyToComment.id);
    expect(await em().count(Comment, { parentId: addComment.id })).toBe(1);
  });

  it('ratePractice: one row and one audit entry', async () => {
    const input = { roundId: practiceRoundId, indicatorId: practices.areas[0].indicators[0].id, value: 'ESSENTIAL', comment: 'Clave', idempotencyKey: randomUUID() };
    const first = await stakeholder.data(RATE, { input });
    const second = await stakeholder.data(RATE, { input });
    expect(second.ratePractice).toEqual(first.ratePractice);
    expect(await em().count(PracticeRating, { round: practiceRoundId, indicator: input.indicatorId })).toBe(1);
    expect(await em().count(AuditEntry, { scopeId: practiceRoundId, action: { $in: ['rating.set', 'rating.changed'] } })).toBe(1);
  });

  it('castVote: one row and one audit entry', async () => {
    const input = { questionId, choice: 'APPROVE', reason: null, idempotencyKey: randomUUID() };
    const first = await member.data(CAST_VOTE, { input });
    const second = await member.data(CAST_VOTE, { input });
    expect(second.castVote).toEqual(first.castVote);
    expect(await em().count(BallotVote, { question: questionId })).toBe(1);
    expect(await em().count(AuditEntry, { action: 'vote.cast', subjectId: questionId })).toBe(1);
  });

  it('saveAnswer: the same key gives the same revision, never a second one', async () => {
    const scheme = await certificationScheme(api);
    const opened = await assessment(api, scheme, { stage: 'opened' });
    const institution = await api.as(INSTITUTION);
    const indicator = await em().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id, code: 'A0' }, comparator: null }, { orderBy: { position: 'asc' } });
    const input = { assessmentId: opened.id, schemeIndicatorId: indicator.id, judgment: 'MET', expectedRevision: 0, idempotencyKey: randomUUID() };
    const first = await institution.data(SAVE, { input });
    const second = await institution.data(SAVE, { input });
    expect(second.saveAnswer).toEqual(first.saveAnswer);
    expect(first.saveAnswer.revision).toBe(1);
    expect(await em().count(Answer, { assessment: opened.id })).toBe(1);
    // The same key with another judgment is refused, not taken as a stale save.
    const changed = await institution.error(SAVE, { input: { ...input, judgment: 'NOT_MET' } });
    expect(changed).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'IDEMPOTENCY_KEY_REUSED' } });
  });
});

describe('racing requests and reused keys', () => {
  it('five requests with one key at once: one comment, every response names it', async () => {
    const key = randomUUID();
    const before = await em().count(Comment, { round: roundId });
    const results = await Promise.all(Array.from({ length: 5 }, () => stakeholder.data(ADD_COMMENT, { input: commentInput('Enviado cinco veces a la vez.', key) })));
    expect(new Set(results.map((r) => r.addComment.id)).size).toBe(1);
    expect(await em().count(Comment, { round: roundId })).toBe(before + 1);
  });

  it('racing votes with one key: one audit entry', async () => {
    const input = { questionId, choice: 'ABSTAIN', reason: null, idempotencyKey: randomUUID() };
    const votesBefore = await audited('vote.cast');
    const other = await api.as(demo.member2);
    const results = await Promise.all(Array.from({ length: 4 }, () => other.data(CAST_VOTE, { input })));
    expect(new Set(results.map((r) => r.castVote.id)).size).toBe(1);
    expect(await audited('vote.cast')).toBe(votesBefore + 1);
  });

  it('a key reused with another payload or another operation is refused with IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const key = randomUUID();
    await stakeholder.data(ADD_COMMENT, { input: commentInput('El texto original.', key) });
    const before = await em().count(Comment, { round: roundId });
    const changed = await stakeholder.error(ADD_COMMENT, { input: commentInput('El texto cambiado después.', key) });
    expect(changed).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'IDEMPOTENCY_KEY_REUSED' } });
    const otherOperation = await stakeholder.error(RATE, { input: { roundId: practiceRoundId, indicatorId: practices.areas[0].indicators[1].id, value: 'USEFUL', idempotencyKey: key } });
    expect(otherOperation).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await em().count(Comment, { round: roundId })).toBe(before);
    expect(await em().count(PracticeRating, { round: practiceRoundId, indicator: practices.areas[0].indicators[1].id })).toBe(0);
  });

  it('another person’s same key is independent', async () => {
    const key = randomUUID();
    const mine = await stakeholder.data(ADD_COMMENT, { input: commentInput('Lo mío.', key) });
    const theirs = await member.data(ADD_COMMENT, { input: commentInput('Lo suyo, con la misma clave.', key) });
    expect(theirs.addComment.id).not.toBe(mine.addComment.id);
    expect(theirs.addComment.body).toBe('Lo suyo, con la misma clave.');
  });

  it('a refused write keeps no key: once the reason is gone, the same key writes', async () => {
    const before = await keys();
    const key = randomUUID();
    const closed = await openRound(facilitator, fw, { opensAt: new Date(Date.now() + 3600_000).toISOString() });
    const refused = await stakeholder.error(ADD_COMMENT, { input: { ...commentInput('Antes de abrir.', key), roundId: closed.id } });
    expect(refused.extensions?.reason).toBe('ROUND_NOT_OPEN');
    expect(await keys()).toBe(before);
    const written = await stakeholder.data(ADD_COMMENT, { input: commentInput('Antes de abrir.', key) });
    expect(written.addComment.id).toBeTruthy();
  });

  it('without a key, nothing changes: two requests write two comments', async () => {
    const before = await em().count(Comment, { round: roundId });
    const input = { ...commentInput('Sin clave.', ''), idempotencyKey: undefined };
    await stakeholder.data(ADD_COMMENT, { input });
    await stakeholder.data(ADD_COMMENT, { input });
    expect(await em().count(Comment, { round: roundId })).toBe(before + 2);
  });

  it('keys older than the retention are pruned; a retry after that writes anew', async () => {
    const key = randomUUID();
    const first = await stakeholder.data(ADD_COMMENT, { input: commentInput('Hace mucho.', key) });
    await em().execute(`update idempotency_key set created_at = now() - interval '40 days' where key = ?`, [key]);
    expect(await pruneIdempotencyKeys(em(), new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    const again = await stakeholder.data(ADD_COMMENT, { input: commentInput('Hace mucho.', key) });
    expect(again.addComment.id).not.toBe(first.addComment.id);
  });
});
