import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorField } from '../../../api/src/indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator } from '../../../api/src/indicators/indicator.entity.js';
import { User } from '../../../api/src/users/user.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, createFramework, openRound, STATEMENT_ES, type FrameworkFixture } from '../rounds/fixtures.js';

/**
 * Markdown nested thousands deep once answered INTERNAL_SERVER_ERROR ("Maximum call stack size
 * exceeded"): every way text reaches the renderer now refuses it as BAD_USER_INPUT naming the field,
 * and writes nothing.
 */
const QUOTES = `${'>'.repeat(4000)} palabra`;
const DEEP_LIST = `${'- '.repeat(3000)}palabra`;
const DEEP_EMPHASIS = `${'*a _a '.repeat(800)}palabra${' a_ a*'.repeat(800)}`;

const REPLY = `mutation($input: ReplyInput!) { replyToComment(input: $input) { id bodyHtml } }`;
const EDIT = `mutation($id: ID!, $input: EditCommentInput!) { editComment(id: $id, input: $input) { id body bodyHtml } }`;
const DISPOSE = `mutation($input: DispositionInput!) { setDispositions(input: $input) { status responseHtml } }`;

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let roundId: string;
let commentId: string;
beforeAll(async () => {
  api = await startTestApi();
  fw = await createFramework(api.db.orm, { slug: 'deep-markdown', areas: 1, perArea: 1 });
  [facilitator, stakeholder] = await Promise.all([api.as(demo.facilitator), api.as(demo.stakeholder)]);
  roundId = (await openRound(facilitator, fw)).id;
  commentId = (await stakeholder.data(ADD_COMMENT, commentOn('Un comentario **breve**.'))).addComment.id;
});
afterAll(() => api?.stop());

const commentOn = (body: string) => ({ input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'GENERAL', body } });

async function rows() {
  const [row] = await api.db.orm.em.fork().execute<{ comments: number; revisions: number; dispositions: number }[]>(
    'select (select count(*)::int from comment) as comments, (select count(*)::int from comment_revision) as revisions, (select count(*)::int from disposition) as dispositions',
  );
  return row;
}

function expectRefused(err: Awaited<ReturnType<GraphQLClient['error']>>, field: string) {
  expect(err).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'MARKDOWN_TOO_DEEP', fields: [{ field, message: expect.stringContaining('levels deep') }] } });
}

describe('Markdown nested thousands deep', () => {
  it.each([
    ['4,000 >', QUOTES],
    ['3,000 nested list items', DEEP_LIST],
    ['1,600 nested emphases', DEEP_EMPHASIS],
  ])('%s: refused as BAD_USER_INPUT on the body of a comment, a reply and an edit, nothing written', async (_name, body) => {
    expect(body.length).toBeLessThan(10_000);
    const before = await rows();
    expectRefused(await stakeholder.error(ADD_COMMENT, commentOn(body)), 'body');
    expectRefused(await facilitator.error(REPLY, { input: { parentId: commentId, body } }), 'body');
    expectRefused(await stakeholder.error(EDIT, { id: commentId, input: { body } }), 'body');
    expect(await rows()).toEqual(before);
    const { comment } = await stakeholder.data(`query($id: ID!) { comment(id: $id) { body bodyHtml } }`, { id: commentId });
    expect(comment).toEqual({ body: 'Un comentario **breve**.', bodyHtml: '<p>Un comentario <strong>breve</strong>.</p>' });
  });

  it('4,000 > in a disposition response: refused on the response, nothing written', async () => {
    const before = await rows();
    expectRefused(await facilitator.error(DISPOSE, { input: { commentIds: [commentId], status: 'NOTED', response: QUOTES } }), 'response');
    expect(await rows()).toEqual(before);
    const { setDispositions } = await facilitator.data(DISPOSE, { input: { commentIds: [commentId], status: 'NOTED', response: `${'> '.repeat(16)}Tomado en cuenta.` } });
    expect(setDispositions[0].responseHtml.match(/<blockquote>/g)).toHaveLength(16);
  });
});

describe('nesting people write', () => {
  it('up to the bound is kept and rendered', async () => {
    const round = await openRound(facilitator, fw);
    const body = ['> Citando el enunciado:', '> > - primero', '> >   - **segundo** con *énfasis* y [fuente](https://example.org/f)'].join('\n');
    const { addComment } = await stakeholder.data(ADD_COMMENT, { input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'GENERAL', body } });
    expect(addComment.body).toBe(body);
    expect(addComment.bodyHtml).toContain('<strong>segundo</strong>');
    expect(addComment.bodyHtml).toContain('<a href="https://example.org/f" rel="nofollow noopener noreferrer">fuente</a>');
    expect(addComment.bodyHtml.match(/<blockquote>/g)).toHaveLength(2);
  });
});

describe('an anchor beside an emoji', () => {
  it('is stored whole: its context never holds half a character (jsonb refused it as a server error)', async () => {
    // 32 code units before the quote fall between the two halves of an emoji.
    const text = `${'🌾'.repeat(20)} ${STATEMENT_ES}`;
    const em = api.db.orm.em.fork();
    const indicator = await em.findOneOrFail(Indicator, { id: fw.areas[0].indicators[0].id });
    const version = em.create(IndicatorVersion, {
      indicator, number: 2, status: IndicatorVersionStatus.PUBLISHED, author: await em.findOneOrFail(User, { email: demo.facilitator }),
      texts: { [IndicatorField.TITLE]: { es: 'Con emoji' }, [IndicatorField.STATEMENT]: { es: text } },
    });
    indicator.currentVersion = em.getReference(IndicatorVersion, version.id, { wrapped: true });
    await em.flush();
    const round = await openRound(facilitator, fw);
    const exact = 'La institución';
    const { addComment } = await stakeholder.data(ADD_COMMENT, {
      input: { roundId: round.id, targetKind: 'INDICATOR_VERSION', targetId: version.id, type: 'GENERAL', body: 'Sobre el inicio', anchor: { field: 'STATEMENT', language: 'ES', exact } },
    });
    const start = text.indexOf(exact);
    expect(addComment.anchor).toMatchObject({ exact, start, end: start + exact.length, prefix: text.slice(start - 31, start) });
  });
});
