import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comment } from '../../../api/src/comments/comment.entity.js';
import { ConsultationRound } from '../../../api/src/rounds/round.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, CREATE_ROUND, createFramework, hours, openRound, STATEMENT_ES, type FrameworkFixture } from '../rounds/fixtures.js';

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let stakeholderEn: GraphQLClient;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'gate', areas: 1, perArea: 2 });
  [facilitator, stakeholder, stakeholderEn] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder), api.as(demo.stakeholderEn)]);
});
afterAll(() => api?.stop());

const comments = () => api.db.orm.em.fork().count(Comment, {});
const commentOn = (roundId: string, extra: Record<string, unknown> = {}) => ({
  input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'GENERAL', body: 'Un comentario', ...extra },
});

async function roundCounters(id: string) {
  const r = await api.db.orm.em.fork().findOneOrFail(ConsultationRound, { id });
  return [r.commentCount, r.undisposedCount, r.replyCount];
}

describe('when comments are taken', () => {
  it('before the opening time: CONFLICT ROUND_NOT_OPEN with the opening time, nothing stored', async () => {
    const opensAt = hours(3);
    const { createRound: round } = await facilitator.data(CREATE_ROUND, { input: { frameworkId: fw.id, title: { es: 'Futura' }, opensAt, closesAt: hours(30) } });
    const before = await comments();
    const err = await stakeholder.error(ADD_COMMENT, commentOn(round.id));
    expect(err).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_NOT_OPEN', opensAt } });
    expect(await comments()).toBe(before);
    expect(await roundCounters(round.id)).toEqual([0, 0, 0]);
  });

  it('after the closing time: CONFLICT ROUND_CLOSED with the closing time, for comments, replies and edits; nothing stored', async () => {
    const round = await openRound(facilitator, fw);
    const { addComment } = await stakeholder.data(ADD_COMMENT, commentOn(round.id));
    // The clock passes the closing time (no timer involved: status is read from the clock).
    await api.db.orm.em.fork().nativeUpdate(ConsultationRound, { id: round.id }, { closesAt: new Date(Date.now() - 1000) });
    const closed = await api.db.orm.em.fork().findOneOrFail(ConsultationRound, { id: round.id });
    const before = await comments();
    const err = await stakeholder.error(ADD_COMMENT, commentOn(round.id));
    expect(err).toMatchObject({ code: 'CONFLICT', extensions: { reason: 'ROUND_CLOSED', closesAt: closed.closesAt.toISOString() } });
    expect((await facilitator.error(`mutation($p: ID!) { replyToComment(input: { parentId: $p, body: "tarde" }) { id } }`, { p: addComment.id })).extensions?.reason).toBe('ROUND_CLOSED');
    expect((await stakeholder.error(`mutation($id: ID!) { withdrawComment(id: $id) { id } }`, { id: addComment.id })).extensions?.reason).toBe('ROUND_CLOSED');
    expect(await comments()).toBe(before);
    expect(await roundCounters(round.id)).toEqual([1, 1, 0]);
    const { round: read } = await stakeholder.data(`query($id: ID!) { round(id: $id) { status viewerMayTakePart } }`, { id: round.id });
    expect(read).toEqual({ status: 'CLOSED', viewerMayTakePart: false });
  });

  it('outside the audience: FORBIDDEN NOT_IN_AUDIENCE, nothing stored; inside by organization or by country: accepted', async () => {
    const em = api.db.orm.em.fork();
    const crecer = await em.findOneOrFail(Organization, { acronym: 'CJM' });
    const round = await openRound(facilitator, fw, { audience: { all: false, organizationIds: [crecer.id], countries: ['HN'] } });
    expect(round.audience).toEqual({ all: false, organizationIds: [crecer.id], countries: ['HN'] });
    const before = await comments();
    // Peter Lindqvist's organization is the rating agency in PE: neither listed organization nor country.
    const err = await stakeholderEn.error(ADD_COMMENT, commentOn(round.id));
    expect(err).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_IN_AUDIENCE' } });
    expect(await comments()).toBe(before);
    // Nor may they read it (rounds/round-audience.test.ts).
    expect(await stakeholderEn.error(`query($id: ID!) { round(id: $id) { viewerMayTakePart } }`, { id: round.id })).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'NOT_IN_AUDIENCE' } });

    await stakeholder.data(ADD_COMMENT, commentOn(round.id));
    const ecuador = await api.as('horizonte@consulta.demo'); // EC: outside
    expect((await ecuador.error(ADD_COMMENT, commentOn(round.id))).extensions?.reason).toBe('NOT_IN_AUDIENCE');
    const byCountry = await openRound(facilitator, fw, { audience: { all: false, organizationIds: [], countries: ['EC'] } });
    await ecuador.data(ADD_COMMENT, commentOn(byCountry.id));
    expect(await comments()).toBe(before + 2);
  });

  it('a target outside the round or an anchor not in the text is BAD_USER_INPUT, nothing stored', async () => {
    const other = await createFramework(api.db.orm, { slug: 'gate-other', areas: 1, perArea: 1 });
    const round = await openRound(facilitator, fw);
    const before = await comments();
    const wrongTarget = await stakeholder.error(ADD_COMMENT, commentOn(round.id, { targetId: other.versionIds[0] }));
    expect(wrongTarget.extensions?.fields?.[0].field).toBe('targetId');
    const wrongSection = await stakeholder.error(ADD_COMMENT, commentOn(round.id, { targetKind: 'SECTION', targetId: other.areas[0].id }));
    expect(wrongSection.extensions?.fields?.[0].field).toBe('targetId');
    const shifted = await stakeholder.error(ADD_COMMENT, commentOn(round.id, { anchor: { field: 'STATEMENT', language: 'ES', exact: 'institución', start: 0, end: 11 } }));
    expect(shifted).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'ANCHOR_MISMATCH', fields: [{ field: 'anchor' }] } });
    const absent = await stakeholder.error(ADD_COMMENT, commentOn(round.id, { anchor: { field: 'STATEMENT', language: 'ES', exact: 'no está en el texto' } }));
    expect(absent.extensions?.fields?.[0].field).toBe('anchor');
    const emptyField = await stakeholder.error(ADD_COMMENT, commentOn(round.id, { anchor: { field: 'LEVELS', language: 'ES' } }));
    expect(emptyField.extensions?.fields?.[0].field).toBe('anchor');
    expect(await comments()).toBe(before);
  });

  it('an anchor given by quote alone (the keyboard and no-JS path) gets its offsets, prefix and suffix from the text', async () => {
    const round = await openRound(facilitator, fw);
    const { addComment } = await stakeholder.data(ADD_COMMENT, commentOn(round.id, { anchor: { field: 'STATEMENT', language: 'ES', exact: 'total de nuevos prestatarios' } }));
    const start = STATEMENT_ES.indexOf('total de nuevos prestatarios');
    expect(addComment.anchor).toEqual({ field: 'STATEMENT', language: 'ES', exact: 'total de nuevos prestatarios', prefix: STATEMENT_ES.slice(start - 32, start), suffix: STATEMENT_ES.slice(start + 28), start, end: start + 28 });
    const { addComment: wholeField } = await stakeholder.data(ADD_COMMENT, commentOn(round.id, { anchor: { field: 'MEASUREMENT', language: 'ES' } }));
    expect(wholeField.anchor).toEqual({ field: 'MEASUREMENT', language: 'ES', exact: null, prefix: null, suffix: null, start: null, end: null });
  });
});

describe('comment bodies are rendered safely', () => {
  it('strips <script>, javascript: links and event handlers from bodyHtml, keeps the Markdown as written', async () => {
    const round = await openRound(facilitator, fw);
    const body = [
      'Texto con <script>alert("x")</script> y un [enlace](javascript:alert(1)).',
      '',
      '<img src="x" onerror="alert(1)"> <a href="JAVASCRIPT:alert(2)" onclick="alert(3)">clic</a> <svg onload="alert(4)"></svg>',
      '',
      '[Fuente](https://example.org/informe) y <iframe src="https://evil.example"></iframe>',
    ].join('\n');
    const { addComment } = await stakeholder.data(ADD_COMMENT, commentOn(round.id, { body }));
    expect(addComment.body).toBe(body);
    const html: string = addComment.bodyHtml;
    expect(html).not.toMatch(/<script|javascript:|onerror|onclick|onload|<iframe|<svg|<img/i);
    expect(html).toContain('<a href="https://example.org/informe" rel="nofollow noopener noreferrer">Fuente</a>');
    expect(html).toContain('Texto con');
  });
});
