import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../api/src/audit/audit-entry.entity.js';
import { IndicatorVersion } from '../../../api/src/indicators/indicator.entity.js';
import { RevisionComment } from '../../../api/src/revisions/revision-comment.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, PROPOSE, createFramework, openRound } from '../ballots/fixtures.js';
import { STATEMENT_ES, type FrameworkFixture } from '../rounds/fixtures.js';

const PREVIEW = `query($input: RevisionPreviewInput!) { revisionPreview(input: $input) { field language changed runs { kind text } } }`;
const INDICATOR_COMMENTS = `query($roundId: ID!, $indicatorId: ID!) {
  roundComments(roundId: $roundId, filter: { indicatorIds: [$indicatorId] }, first: 50) { edges { node { id proposedChange takenUpBy { id number status } } } } }`;

let api: TestApi;
let facilitator: GraphQLClient;
let stakeholder: GraphQLClient;
let member: GraphQLClient;
let fw: FrameworkFixture;
let roundId: string;
let proposalId: string;
const indicator = (i: number) => fw.areas[0].indicators[i];

const counts = async () => {
  const em = api.db.orm.em.fork();
  return { versions: await em.count(IndicatorVersion, {}), links: await em.count(RevisionComment, {}), audit: await em.count(AuditEntry, {}) };
};

beforeAll(async () => {
  api = await startTestApi();
  [facilitator, stakeholder, member] = await Promise.all([demo.facilitator, demo.stakeholder, demo.member].map((e) => api.as(e)));
  fw = await createFramework(api.db.orm, { slug: 'workbench', areas: 1, perArea: 3 });
  roundId = (await openRound(facilitator, fw)).id;
  const { addComment } = await stakeholder.data(ADD_COMMENT, {
    input: {
      roundId, targetKind: 'INDICATOR_VERSION', targetId: indicator(0).versionId, type: 'EDITORIAL', body: 'Mejor «prestatarias nuevas».',
      anchor: { field: 'STATEMENT', language: 'ES', exact: 'nuevas prestatarias mujeres' },
      proposedChange: `${STATEMENT_ES} Se desagrega por zona rural y urbana.`,
    },
  });
  proposalId = addComment.id;
  await facilitator.data(`mutation($id: ID!) { closeRoundNow(id: $id) { status } }`, { id: roundId });
});
afterAll(() => api?.stop());

describe('the revision workbench', () => {
  it('previews the word diff of the texts being written against the consulted version, and stores nothing', async () => {
    const before = await counts();
    const { revisionPreview } = await facilitator.data(PREVIEW, {
      input: { basedOnVersionId: indicator(0).versionId, texts: { statement: { es: `${STATEMENT_ES} Se desagrega por zona rural y urbana.` } } },
    });
    const statement = revisionPreview.find((f: { field: string; language: string }) => f.field === 'STATEMENT' && f.language === 'ES');
    expect(statement.changed).toBe(true);
    expect(statement.runs.filter((r: { kind: string }) => r.kind === 'INSERTED').map((r: { text: string }) => r.text).join('')).toContain('desagrega por zona rural y urbana.');
    expect(statement.runs.filter((r: { kind: string }) => r.kind !== 'INSERTED').map((r: { text: string }) => r.text).join('')).toBe(STATEMENT_ES);
    // Fields and languages not sent keep the consulted text: the English statement and the titles are unchanged.
    expect(revisionPreview.filter((f: { changed: boolean }) => f.changed)).toHaveLength(1);
    expect(revisionPreview.some((f: { field: string; language: string }) => f.field === 'STATEMENT' && f.language === 'EN')).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('a field emptied in the workbench shows as deleted, as proposeRevision would clear it', async () => {
    const { revisionPreview } = await facilitator.data(PREVIEW, { input: { basedOnVersionId: indicator(0).versionId, texts: { statement: { en: '' } } } });
    const english = revisionPreview.find((f: { field: string; language: string }) => f.field === 'STATEMENT' && f.language === 'EN');
    expect(english).toMatchObject({ changed: true, runs: [{ kind: 'DELETED' }] });
  });

  it('only a facilitator previews; an unknown version is NOT_FOUND and a malformed id a field error', async () => {
    const input = { basedOnVersionId: indicator(0).versionId, texts: { title: { es: 'Otro' } } };
    expect((await stakeholder.error(PREVIEW, { input })).code).toBe('FORBIDDEN');
    expect((await member.error(PREVIEW, { input })).code).toBe('FORBIDDEN');
    expect((await api.client().error(PREVIEW, { input })).code).toBe('UNAUTHENTICATED');
    expect((await facilitator.error(PREVIEW, { input: { ...input, basedOnVersionId: '00000000-0000-4000-8000-000000000000' } })).code).toBe('NOT_FOUND');
    expect(await facilitator.error(PREVIEW, { input: { ...input, basedOnVersionId: 'not-an-id' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      extensions: { fields: [{ field: 'input.basedOnVersionId' }] },
    });
  });

  it('a revision that changes nothing is refused with a reason the page translates, and stores nothing', async () => {
    const before = await counts();
    const refused = await facilitator.error(PROPOSE, {
      input: { indicatorId: indicator(0).id, basedOnVersionId: indicator(0).versionId, texts: { statement: { es: STATEMENT_ES } }, changeSummary: 'Nada.', answersCommentIds: [proposalId] },
    });
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { reason: 'REVISION_UNCHANGED', fields: [{ field: 'texts' }] } });
    expect(await counts()).toEqual(before);
  });

  it('taking up a proposed change and proposing it: the comment shows, to its author, the version that took it up', async () => {
    const { roundComments } = await stakeholder.data(INDICATOR_COMMENTS, { roundId, indicatorId: indicator(0).id });
    const proposal = roundComments.edges[0].node;
    expect(proposal).toMatchObject({ id: proposalId, takenUpBy: [] });

    const { proposeRevision } = await facilitator.data(PROPOSE, {
      input: {
        indicatorId: indicator(0).id,
        basedOnVersionId: indicator(0).versionId,
        texts: { statement: { es: proposal.proposedChange } },
        changeSummary: 'Se desagrega por zona, como propuso el comentario.',
        answersCommentIds: [proposalId],
      },
    });
    expect(proposeRevision).toMatchObject({ number: 2, status: 'PROPOSED', answersComments: [{ id: proposalId }] });
    const after = await stakeholder.data(INDICATOR_COMMENTS, { roundId, indicatorId: indicator(0).id });
    expect(after.roundComments.edges[0].node.takenUpBy).toEqual([{ id: proposeRevision.id, number: 2, status: 'PROPOSED' }]);
    // Ready for a ballot: the console lists it.
    const { revisionsAwaitingBallot } = await facilitator.data(`{ revisionsAwaitingBallot { id } }`);
    expect(revisionsAwaitingBallot.map((r: { id: string }) => r.id)).toContain(proposeRevision.id);
    const entry = await api.db.orm.em.fork().findOneOrFail(AuditEntry, { action: 'revision.proposed', subjectId: proposeRevision.id });
    expect(entry.data).toMatchObject({ answersCommentIds: [proposalId], number: 2 });
  });

  it('a comment taken up by two revisions lists both, the newest first', async () => {
    const { proposeRevision } = await facilitator.data(PROPOSE, {
      input: {
        indicatorId: indicator(0).id,
        basedOnVersionId: indicator(0).versionId,
        texts: { statement: { es: `${STATEMENT_ES} Se desagrega por zona y por sexo.` } },
        changeSummary: 'Otra lectura de la misma propuesta.',
        answersCommentIds: [proposalId],
      },
    });
    const { roundComments } = await stakeholder.data(INDICATOR_COMMENTS, { roundId, indicatorId: indicator(0).id });
    expect(roundComments.edges[0].node.takenUpBy.map((v: { id: string; number: number }) => v.number)).toEqual([proposeRevision.number, 2]);
  });
});
