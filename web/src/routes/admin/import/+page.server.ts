import { fail, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { requireRole } from '$lib/auth.server';
import { confirmAndReturn, takeConfirmation } from '$lib/confirmation.server';
import { ImportRoundDocument, RoundImportPreviewDocument } from '$lib/graphql/generated';
import { problemOf } from '$lib/graphql/problems';
import type { Actions, PageServerLoad } from './$types';

/** Why a file is refused, as message keys of imports.json; `detail` names the place in the document. */
export interface ImportFailure {
  field: string;
  detail?: string;
}

const refused = (status: number, field: string, detail?: string) => fail(status, { failure: { field, detail } satisfies ImportFailure });

export const load: PageServerLoad = async (event) => {
  requireRole(event, 'ADMIN');
  return { confirmation: takeConfirmation(event) };
};

/**
 * The document, from the uploaded file (preview) or from the hidden field the preview page carries
 * back (confirm). A body over the web server's limit fails while it is read: the same refusal as
 * one over the API's.
 */
async function readDocument(event: RequestEvent): Promise<{ text: string } | { failed: ReturnType<typeof refused> }> {
  let data: FormData;
  try {
    data = await event.request.formData();
  } catch {
    return { failed: refused(413, 'imports.error.tooLarge') };
  }
  const value = data.get('document');
  const text = typeof value === 'string' ? value : value ? await value.text() : '';
  if (!text.trim()) return { failed: refused(400, 'imports.error.missing') };
  return { text };
}

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The API's refusal of a document, in the page's words. */
function apiRefusal(error: CombinedError | undefined) {
  const problem = problemOf(error);
  if (problem?.reason === 'REQUEST_TOO_LARGE') return refused(413, 'imports.error.tooLarge');
  if (problem?.reason === 'ROUND_EXISTS' || problem?.reason === 'ALREADY_EXISTS') return refused(409, `imports.error.${problem.reason}`, problem.fields[0]?.field);
  if (problem?.code === 'BAD_USER_INPUT') {
    const where = problem.fields[0]?.field;
    if (!where || where === 'document' || where === 'format' || where === 'version') return refused(400, 'imports.error.format');
    return refused(400, 'imports.error.invalid', `${where}: ${problem.fields[0].message}`);
  }
  return refused(502, 'imports.error.failed');
}

export const actions: Actions = {
  preview: async (event) => {
    requireRole(event, 'ADMIN');
    const read = await readDocument(event);
    if ('failed' in read) return read.failed;
    const document = parse(read.text);
    if (!document) return refused(400, 'imports.error.notJson');
    const result = await event.locals.api.query(RoundImportPreviewDocument, { document }, { requestPolicy: 'network-only' }).toPromise();
    if (!result.data) return apiRefusal(result.error);
    // The document goes back with the preview, to be sent again on confirm: nothing is kept here
    // between the two steps, and confirming runs every check of the import again.
    return { preview: { ...result.data.roundImportPreview, document: read.text } };
  },

  confirm: async (event) => {
    requireRole(event, 'ADMIN');
    const read = await readDocument(event);
    if ('failed' in read) return read.failed;
    const document = parse(read.text);
    if (!document) return refused(400, 'imports.error.notJson');
    const result = await event.locals.api.mutation(ImportRoundDocument, { document }).toPromise();
    if (!result.data) return apiRefusal(result.error);
    const { roundId, counts } = result.data.importRound;
    confirmAndReturn(event, { form: 'import', roundId, counts }, 'import-result');
  },
};
