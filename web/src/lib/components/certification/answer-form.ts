import type { EvidenceKind, Judgment } from '$lib/graphql/generated';
import { EVIDENCE_KINDS, JUDGMENTS, type AnswerView } from './assessment';

/** An answer as its form holds it: what the person typed, before the API judges a value against its threshold. */
export interface AnswerDraft {
  judgment: Judgment | null;
  /** The reported value as typed (a quantitative indicator); '' when none. */
  value: string;
  notApplicable: boolean;
  notes: string;
  evidence: { kind: EvidenceKind; description: string }[];
}

export const draftOfAnswer = (answer: AnswerView | null): AnswerDraft => ({
  judgment: answer?.judgment ?? null,
  value: answer?.reportedValue != null ? String(answer.reportedValue) : '',
  notApplicable: answer?.judgment === 'NOT_APPLICABLE',
  notes: answer?.notes ?? '',
  evidence: answer?.evidence.map((e) => ({ kind: e.kind, description: e.description })) ?? [],
});

/**
 * The answer form's fields as a draft: `judgment` (radios), `reportedValue` and `notApplicable` (a
 * quantitative indicator), `notes`, and the control list as repeated `evidenceKind` and
 * `evidenceDescription` (a line without a description is left out). The server action and the
 * browser's autosave read the same form the same way.
 */
export function draftOfForm(data: FormData): AnswerDraft {
  const judgment = String(data.get('judgment') ?? '');
  const kinds = data.getAll('evidenceKind').map(String);
  const descriptions = data.getAll('evidenceDescription').map(String);
  return {
    judgment: (JUDGMENTS as string[]).includes(judgment) ? (judgment as Judgment) : null,
    value: String(data.get('reportedValue') ?? '').trim(),
    notApplicable: data.get('notApplicable') === 'on',
    notes: String(data.get('notes') ?? ''),
    evidence: descriptions.flatMap((description, i) => {
      const kind = (EVIDENCE_KINDS as string[]).includes(kinds[i]) ? (kinds[i] as EvidenceKind) : 'DOCUMENT';
      return description.trim() ? [{ kind, description: description.trim() }] : [];
    }),
  };
}

/** The answer form's fields for a draft, as the form posts them: `draftOfForm` reads them back to the same draft. */
export function fieldsOfDraft(draft: AnswerDraft): [string, string][] {
  return [
    ...(draft.judgment ? [['judgment', draft.judgment] as [string, string]] : []),
    ['reportedValue', draft.value],
    ...(draft.notApplicable ? [['notApplicable', 'on'] as [string, string]] : []),
    ['notes', draft.notes],
    ...draft.evidence.flatMap((e): [string, string][] => [['evidenceKind', e.kind], ['evidenceDescription', e.description]]),
  ];
}

/** A number as people type it: a decimal comma is taken as a point. NaN when it is not one. */
export const parseValue = (text: string) => (text.trim() ? Number(text.trim().replace(',', '.')) : Number.NaN);

/**
 * The saveAnswer input's answer part for a draft. A quantitative indicator's form has no judgment and an
 * assessor-judged one no value, so both go as typed: the API takes the value where the scheme judges one.
 */
export function answerInput(draft: AnswerDraft) {
  const value = parseValue(draft.value);
  return {
    judgment: draft.notApplicable ? ('NOT_APPLICABLE' as const) : draft.judgment,
    reportedValue: !draft.notApplicable && Number.isFinite(value) ? value : null,
    notes: draft.notes,
    evidence: draft.evidence,
  };
}

/** A typed value that is not a number (empty is fine: the API says a value is required where it is). */
export const valueInvalid = (draft: AnswerDraft) => !draft.notApplicable && draft.value !== '' && !Number.isFinite(parseValue(draft.value));

export const sameDraft = (a: AnswerDraft, b: AnswerDraft) => JSON.stringify(a) === JSON.stringify(b);
