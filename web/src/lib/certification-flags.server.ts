import type { RequestEvent } from '@sveltejs/kit';
import { anchorOf } from './components/certification/assessment.js';
import { confirmAndReturn } from './confirmation.server.js';
import { fieldFailure, formFailure, formValues } from './forms.server.js';
import { FlagIndicatorDocument, type PilotFlagKind } from './graphql/generated.js';

const KINDS: PilotFlagKind[] = ['UNCLEAR', 'UNMEASURABLE', 'TOO_COSTLY'];

/**
 * The pilot flag form's action, on the answering page and the reviewer's: an indicator flagged as
 * unclear, unmeasurable or too costly to evidence, with a note; back to that indicator.
 */
export async function flagIndicator(event: RequestEvent<{ id: string }>) {
  const values = formValues(await event.request.formData(), 'schemeIndicatorId', 'code', 'kind', 'note');
  const fields: Record<string, string> = {};
  if (!(KINDS as string[]).includes(values.kind)) fields.kind = 'certification.flag.kindRequired';
  if (!values.note.trim()) fields.note = 'certification.flag.noteRequired';
  if (Object.keys(fields).length) return fieldFailure('flag', values, fields);
  const result = await event.locals.api
    .mutation(FlagIndicatorDocument, { input: { assessmentId: event.params.id, schemeIndicatorId: values.schemeIndicatorId, kind: values.kind as PilotFlagKind, note: values.note } })
    .toPromise();
  if (result.error || !result.data) return formFailure(result.error, values, { form: 'flag' });
  confirmAndReturn(event, { form: 'flag', code: values.code }, anchorOf(values.code));
}
