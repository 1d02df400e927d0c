import { validate } from 'class-validator';
import { CommentTargetKind, CommentType } from '../comments/comment.entity.js';
import { CommentFilter, DispositionFacet } from '../comments/comment.inputs.js';
import { badInput } from '../errors.js';
import { Locale } from '../users/user.entity.js';

export enum ExportFormat {
  CSV = 'csv',
  XLSX = 'xlsx',
  PDF = 'pdf',
  JSON = 'json',
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  [ExportFormat.CSV]: 'text/csv; charset=utf-8; header=present',
  [ExportFormat.XLSX]: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  [ExportFormat.PDF]: 'application/pdf',
  [ExportFormat.JSON]: 'application/json; charset=utf-8',
};

export interface ExportRequest {
  format: ExportFormat;
  /** Null: the round's own (its framework's source language). */
  language: Locale | null;
  filter: CommentFilter;
}

const LIST_PARAMS = ['sectionIds', 'indicatorIds', 'targetKinds', 'types', 'dispositions', 'organizationIds', 'countries', 'authorIds', 'themeIds', 'nearDuplicateGroupIds'] as const;
const ENUMS: Partial<Record<(typeof LIST_PARAMS)[number], readonly string[]>> = {
  targetKinds: Object.values(CommentTargetKind),
  types: Object.values(CommentType),
  dispositions: Object.values(DispositionFacet),
};

type Query = Record<string, unknown>;

/** A list parameter given repeated (`types=A&types=B`), comma-separated (`types=A,B`) or both. */
function list(query: Query, name: string): string[] | null {
  const raw = query[name];
  if (raw === undefined) return null;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [null]));
  if (values.some((v) => v === null)) throw badInput(name, 'Give values as name=value pairs');
  return (values as string[]).map((v) => v.trim()).filter(Boolean);
}

/** A parameter given once; empty (an HTML form's “any” choice) counts as not given. */
function single(query: Query, name: string): string | null {
  const raw = query[name];
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw badInput(name, 'Give this parameter once');
  return raw;
}

/**
 * The download's query string: `format`, `language` and the comment list's filter criteria with
 * the names of CommentFilter's fields. Anything unknown or malformed is BAD_USER_INPUT naming the
 * parameter, as the GraphQL API does for its fields.
 */
export async function parseExportRequest(query: Query): Promise<ExportRequest> {
  for (const name of Object.keys(query)) {
    if (name !== 'format' && name !== 'language' && name !== 'withdrawn' && name !== 'onBehalf' && !(LIST_PARAMS as readonly string[]).includes(name)) {
      throw badInput(name, 'Unknown parameter');
    }
  }
  const format = single(query, 'format');
  if (!format || !Object.values(ExportFormat).includes(format as ExportFormat)) {
    throw badInput('format', `Choose one of ${Object.values(ExportFormat).join(', ')}`);
  }
  const language = single(query, 'language');
  if (language !== null && !Object.values(Locale).includes(language as Locale)) {
    throw badInput('language', `Choose one of ${Object.values(Locale).join(', ')}`);
  }
  const filter = new CommentFilter();
  for (const name of LIST_PARAMS) {
    const values = list(query, name);
    if (!values) continue;
    const allowed = ENUMS[name];
    const wrong = allowed ? values.find((v) => !allowed.includes(v)) : undefined;
    if (wrong !== undefined) throw badInput(name, `${wrong} is not one of ${allowed!.join(', ')}`);
    if (name === 'countries' && values.some((v) => !/^[A-Za-z]{2}$/.test(v))) throw badInput(name, 'Countries are two-letter ISO 3166-1 codes');
    (filter as unknown as Record<string, string[]>)[name] = values;
  }
  const withdrawn = single(query, 'withdrawn');
  if (withdrawn !== null) {
    if (withdrawn !== 'true' && withdrawn !== 'false') throw badInput('withdrawn', 'Must be true or false');
    filter.withdrawn = withdrawn === 'true';
  }
  const onBehalf = single(query, 'onBehalf');
  if (onBehalf !== null) {
    if (onBehalf !== 'true' && onBehalf !== 'false') throw badInput('onBehalf', 'Must be true or false');
    filter.onBehalf = onBehalf === 'true';
  }
  const [problem] = await validate(filter);
  if (problem) throw badInput(problem.property, Object.values(problem.constraints ?? {})[0] ?? 'Invalid value');
  return { format: format as ExportFormat, language: language as Locale | null, filter };
}
