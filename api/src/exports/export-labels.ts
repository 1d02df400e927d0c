import { BallotOutcome } from '../ballots/ballot-rules.js';
import { CommentType } from '../comments/comment.entity.js';
import { DispositionStatus } from '../dispositions/disposition.entity.js';
import { message, messages } from '../i18n/messages.js';
import { INDICATOR_FIELDS } from '../indicators/indicator-field.js';
import { RatingValue } from '../ratings/practice-rating.entity.js';
import type { Locale } from '../users/user.entity.js';
import { DISPOSITION_COLUMNS, type DispositionColumn } from './disposition-columns.js';

const SUMMARY = [
  'sheet', 'title', 'count', 'total', 'byArea', 'byIndicator', 'byType', 'byDisposition', 'byCountry', 'byOrganization',
  'ratings', 'ballots', 'undisposed', 'withdrawnComments', 'approve', 'reject', 'abstain', 'eligible', 'outcome',
] as const;
const REPORT = [
  'title', 'contents', 'generated', 'page', 'of', 'consultedText', 'comments', 'noComments', 'revision', 'noRevision', 'vote', 'noVote', 'inserted', 'deleted',
] as const;
const FILE_STEMS = ['table', 'report', 'data'] as const;
const DISPOSITIONS = [...Object.values(DispositionStatus), 'NONE'] as const;

/**
 * Everything an export file says in words, per language: column headers, enum values, sheet and file names.
 * Enum values read as the web shows them (`consultation.type.TECHNICAL` …); the rest is the catalogues' `files.json`.
 */
export interface ExportLabels {
  columns: Record<DispositionColumn, string>;
  // Keyed by string: the rows read them from SQL.
  commentType: Record<string, string>;
  disposition: Record<string, string>;
  field: Record<string, string>;
  rating: Record<string, string>;
  outcome: Record<string, string>;
  withdrawn: string;
  noArea: string;
  framework: string;
  /** The first word of a downloaded file's name, e.g. `comentarios-…csv`. */
  fileStem: Record<(typeof FILE_STEMS)[number], string>;
  summary: Record<(typeof SUMMARY)[number] | 'pending', string>;
  report: Record<(typeof REPORT)[number], string>;
}

const labels = new Map<Locale, ExportLabels>();

export function exportLabels(language: Locale): ExportLabels {
  let found = labels.get(language);
  if (!found) {
    found = {
      columns: messages(language, 'files.column', DISPOSITION_COLUMNS.map((c) => c.key)),
      commentType: messages(language, 'consultation.type', Object.values(CommentType)),
      disposition: messages(language, 'consultation.disposition', DISPOSITIONS),
      field: messages(language, 'consultation.field', INDICATOR_FIELDS),
      rating: messages(language, 'consultation.rating', Object.values(RatingValue)),
      outcome: messages(language, 'ballots.outcome', Object.values(BallotOutcome)),
      withdrawn: message(language, 'files.withdrawn'),
      noArea: message(language, 'files.noArea'),
      framework: message(language, 'files.framework'),
      fileStem: messages(language, 'files.fileStem', FILE_STEMS),
      summary: { ...messages(language, 'files.summary', SUMMARY), pending: message(language, 'ballots.outcome.pending') },
      report: messages(language, 'files.report', REPORT),
    };
    labels.set(language, found);
  }
  return found;
}
