import type { RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { DEVICE_COOKIE, SESSION_COOKIE } from './graphql/client.server.js';
import { EvidenceUploadPathDocument } from './graphql/generated.js';
import { hasMessage } from './i18n/catalog.server.js';

/** What the API said of an upload: its JSON, or its refusal (`code`, `reason`, and for a questionnaire the cells it refused). */
export type UploadResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; code: string; reason?: string; problems?: QuestionnaireProblem[] };

/** A cell a questionnaire import could not take (api/src/certification/questionnaire.ts). */
export interface QuestionnaireProblem {
  sheet: string;
  row: number;
  column: string;
  reason: string;
  value: string;
}

/**
 * Sends an uploaded file's bytes to one of the API's upload endpoints, as the visitor (their session
 * cookie) and with the header that marks Consulta's own server (a cross-site form cannot send it).
 * The browser's plain multipart form posts to a page's action; the action calls this.
 */
export async function uploadToApi(event: RequestEvent, path: string, file: File, query: Record<string, string | null | undefined> = {}): Promise<UploadResult> {
  const url = new URL(path, env.API_URL || 'http://127.0.0.1:4000');
  for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
  const cookies = [SESSION_COOKIE, DEVICE_COOKIE].flatMap((name) => {
    const value = event.cookies.get(name);
    return value ? [`${name}=${encodeURIComponent(value)}`] : [];
  });
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(await file.arrayBuffer()),
      headers: {
        'content-type': file.type || 'application/octet-stream',
        'x-consulta-upload': '1',
        'x-forwarded-for': event.getClientAddress(),
        ...(cookies.length ? { cookie: cookies.join('; ') } : {}),
      },
    });
  } catch {
    return { ok: false, status: 502, code: 'NETWORK' };
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok) return { ok: true, body };
  return { ok: false, status: response.status, code: String(body.code ?? 'INTERNAL_SERVER_ERROR'), reason: body.reason as string | undefined, problems: body.problems as QuestionnaireProblem[] | undefined };
}

/** The message key for a refused upload: the files catalogue's words for its reason, else the general ones. */
export function uploadMessage(result: Extract<UploadResult, { ok: false }>): string {
  for (const key of [`certificationFiles.error.${result.reason}`, `errors.${result.reason}`, `errors.${result.code}`]) if (hasMessage(key)) return key;
  return 'errors.INTERNAL_SERVER_ERROR';
}

/**
 * Adds the form's `file` (with its optional `note`) as evidence on one indicator, or in answer to an
 * evidence request; null when taken, else the message key to show beside the file field.
 */
export async function addEvidenceFile(
  event: RequestEvent,
  data: FormData,
  target: { assessmentId: string; schemeIndicatorId: string; evidenceRequestId?: string | null },
): Promise<{ status: number; message: string } | null> {
  const file = data.get('file');
  if (!(file instanceof File) || file.size === 0) return { status: 400, message: 'certificationFiles.error.EVIDENCE_EMPTY' };
  const limits = await event.locals.api.query(EvidenceUploadPathDocument, {}).toPromise();
  if (!limits.data) return { status: 502, message: 'errors.INTERNAL_SERVER_ERROR' };
  const note = String(data.get('note') ?? '').trim();
  const result = await uploadToApi(event, limits.data.certificationEvidenceLimits.uploadPath, file, {
    ...target,
    fileName: file.name || 'evidence',
    declaredType: file.type || null,
    note: note || null,
  });
  return result.ok ? null : { status: result.status, message: uploadMessage(result) };
}
