import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { flatten, type FlatTexts } from '$lib/components/frameworks/fields';
import { draftKeys, keyOf, shownInput, takeUp } from '$lib/components/revisions/workbench';
import { formFailure } from '$lib/forms.server';
import { ProposeRevisionDocument, RevisionPreviewDocument, RevisionWorkbenchDocument, type IndicatorTextsInput } from '$lib/graphql/generated';
import { apiLanguage, loadFailed } from '$lib/graphql/load.server';
import { problemOf } from '$lib/graphql/problems';
import { fromApiLocale } from '$lib/i18n/locales';
import type { Actions, PageServerLoad } from './$types';

/** A revision is written once the round has stopped taking comments. */
const REVISABLE = ['CLOSED', 'RESOLVED'];

async function workbench(event: RequestEvent<{ id: string; indicatorId: string }>) {
  const result = await event.locals.api
    .query(RevisionWorkbenchDocument, { id: event.params.id, indicatorId: event.params.indicatorId, language: apiLanguage(event), first: 200 })
    .toPromise();
  if (!result.data) loadFailed(result.error);
  const { round, roundComments } = result.data;
  if (!round.indicator) error(404, 'NOT_FOUND');
  const version = round.indicator.indicatorVersion;
  const pinned = flatten(Object.fromEntries(version.fields.map((f) => [f.field, f.translations])));
  const source = fromApiLocale(round.indicator.indicator.framework.sourceLanguage);
  // Only the comments that propose a change are worked from here.
  const proposals = roundComments.edges.map((e) => e.node).filter((c) => c.proposedChange);
  return { round, version, pinned, source, keys: draftKeys(pinned, source), proposals, commentCount: roundComments.totalCount };
}

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'FACILITATOR');
  const bench = await workbench(event);
  return { ...bench, revisable: REVISABLE.includes(bench.round.status), confirmation: takeConfirmation(event) };
};

/** What the form holds: the draft's boxes, the comments ticked as answered, the summary. */
function submitted(data: FormData) {
  const texts: FlatTexts = {};
  for (const [name, value] of data) if (name.startsWith('text:')) texts[name.slice(5)] = String(value);
  return { texts, answers: data.getAll('answers').map(String), changeSummary: String(data.get('changeSummary') ?? '') };
}

export const actions: Actions = {
  /**
   * Without JavaScript: takes up a comment's proposed text (the button names the comment) and shows
   * the word diff of the draft as it now stands. Nothing is stored, so the page answers directly.
   */
  preview: async (event) => {
    requireRole(event, 'FACILITATOR');
    const bench = await workbench(event);
    const data = await event.request.formData();
    const form = submitted(data);
    const takeUpId = String(data.get('takeUp') ?? '');
    const texts = { ...bench.pinned, ...form.texts };
    const comment = bench.proposals.find((c) => c.id === takeUpId);
    if (comment?.anchor && comment.proposedChange) {
      const key = keyOf(comment.anchor);
      if (key in texts) texts[key] = takeUp(texts[key], comment.anchor, comment.proposedChange);
      if (!form.answers.includes(comment.id)) form.answers.push(comment.id);
    }
    const result = await event.locals.api
      .query(RevisionPreviewDocument, { input: { basedOnVersionId: bench.version.id, texts: shownInput(texts, bench.keys) as IndicatorTextsInput } })
      .toPromise();
    if (result.error || !result.data) return formFailure(result.error, { changeSummary: form.changeSummary }, { form: 'preview' });
    return { form: 'preview', texts, answers: form.answers, changeSummary: form.changeSummary, takenUp: comment ? takeUpId : null, diff: result.data.revisionPreview };
  },

  /** Proposes the revision for a ballot: the texts, the comments it answers and its summary, in one mutation. */
  propose: async (event) => {
    requireRole(event, 'FACILITATOR');
    const bench = await workbench(event);
    const form = submitted(await event.request.formData());
    const texts = { ...bench.pinned, ...form.texts };
    if (!REVISABLE.includes(bench.round.status)) {
      return fail(409, { form: 'propose', message: 'revisions.notRevisable', fields: {}, values: {}, texts, answers: form.answers, changeSummary: form.changeSummary });
    }
    const input = {
      indicatorId: bench.round.indicator!.indicator.id,
      basedOnVersionId: bench.version.id,
      texts: shownInput(texts, bench.keys) as IndicatorTextsInput,
      changeSummary: form.changeSummary.trim(),
      answersCommentIds: form.answers,
    };
    const result = await event.locals.api.mutation(ProposeRevisionDocument, { input }).toPromise();
    if (result.error || !result.data) {
      const failure = formFailure(result.error, { changeSummary: form.changeSummary }, { form: 'propose', otherFields: ['texts', 'answersCommentIds'] });
      const problem = problemOf(result.error);
      const fields: Record<string, string> = {};
      for (const { field } of problem?.fields ?? []) {
        if (field === 'texts' && problem?.reason === 'REVISION_UNCHANGED') fields.texts = 'revisions.error.REVISION_UNCHANGED';
        else if (/^texts\.title\./.test(field)) fields.texts = 'revisions.error.titleRequired';
        else if (field.endsWith('changeSummary')) fields.changeSummary = 'revisions.error.changeSummary';
        else if (field.endsWith('answersCommentIds')) fields.answers = 'revisions.error.answers';
      }
      const message = Object.keys(fields).length ? 'errors.BAD_USER_INPUT' : failure.data.message;
      return fail(failure.status, { ...failure.data, message, fields, texts, answers: form.answers, changeSummary: form.changeSummary });
    }
    const { id, number } = result.data.proposeRevision;
    confirmAndReturn(event, { form: 'propose', revisionId: id, number }, 'proposed');
  },
};
