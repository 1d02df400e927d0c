import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { unwrapResolverError } from '@apollo/server/errors';

/** Every error code a client can see in `extensions.code`. */
export const ErrorCode = {
  /** No valid session: sign in first. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** Signed in, but this role or person may not do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** The input is wrong; `extensions.fields` names each field and why. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** The thing asked for does not exist (or is not visible to the viewer). */
  NOT_FOUND: 'NOT_FOUND',
  /** The request clashes with the current state: a stale save, a closed round, a duplicate. */
  CONFLICT: 'CONFLICT',
  /** Too many attempts; `extensions.retryAfterSeconds` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * Something broke on our side; the details are in the server log, never in a production response.
   * `extensions.correlationId` names the log line.
   */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Every finer reason a client can see in `extensions.reason`, beside the code: the web translates
 * each (`errors.<REASON>` and the features' own catalogues), so a reason is added here first.
 */
export const Refusal = {
  // Accounts and sign-in
  /** No session: sign in first. */
  SIGN_IN_REQUIRED: 'SIGN_IN_REQUIRED',
  /** The e-mail and password do not match an account. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** Only an admin may give this role. */
  ROLE_REQUIRED: 'ROLE_REQUIRED',
  /** The e-mail already has an account. */
  ACCOUNT_EXISTS: 'ACCOUNT_EXISTS',
  /** The invitation was used already. */
  INVITATION_USED: 'INVITATION_USED',
  /** The invitation is past its expiry. */
  INVITATION_EXPIRED: 'INVITATION_EXPIRED',
  /** The instance has its first admin; admins invite admins from then on. */
  FIRST_ADMIN_EXISTS: 'FIRST_ADMIN_EXISTS',
  PASSWORD_TOO_SHORT: 'PASSWORD_TOO_SHORT',
  PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  /** The password is among the commonest ones. */
  PASSWORD_COMMON: 'PASSWORD_COMMON',
  /** An admin cannot take away their own admin role. */
  SELF_DEMOTION: 'SELF_DEMOTION',
  /** An organization of that name exists. */
  DUPLICATE_NAME: 'DUPLICATE_NAME',
  /** The account's e-mail is not confirmed yet: follow the link in the confirmation mail. */
  EMAIL_UNCONFIRMED: 'EMAIL_UNCONFIRMED',
  /** A facilitator suspended the account. */
  ACCOUNT_SUSPENDED: 'ACCOUNT_SUSPENDED',
  /** A confirmation or reset link that was used already. */
  LINK_USED: 'LINK_USED',
  /** A confirmation or reset link past its expiry. */
  LINK_EXPIRED: 'LINK_EXPIRED',
  /** The current password given to change it is wrong. */
  WRONG_PASSWORD: 'WRONG_PASSWORD',
  /** Nobody suspends their own account. */
  SELF_SUSPENSION: 'SELF_SUSPENSION',
  /** The organization request was approved or refused already. */
  REQUEST_DECIDED: 'REQUEST_DECIDED',

  // Requests and text
  /** Something named by id does not exist (or is not visible). */
  NOT_FOUND: 'NOT_FOUND',
  /** An id that is not a UUID. */
  INVALID_ID: 'INVALID_ID',
  /** Text with a lone UTF-16 surrogate. */
  INVALID_UNICODE: 'INVALID_UNICODE',
  /** Text with U+0000, which PostgreSQL cannot store. */
  NUL_CHARACTER: 'NUL_CHARACTER',
  /** Markdown nested deeper than the renderer allows. */
  MARKDOWN_TOO_DEEP: 'MARKDOWN_TOO_DEEP',
  /** The request body is over the size limit. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** The request body is not JSON. */
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  /** Too many attempts for now. */
  RATE_LIMITED: 'RATE_LIMITED',

  // Frameworks, indicators, revisions and releases
  /** A framework has that slug. */
  DUPLICATE_SLUG: 'DUPLICATE_SLUG',
  /** The framework has an indicator of that code. */
  DUPLICATE_CODE: 'DUPLICATE_CODE',
  /** The draft was saved by someone else since it was read. */
  STALE_DRAFT: 'STALE_DRAFT',
  /** The draft equals the current version. */
  NOTHING_TO_PUBLISH: 'NOTHING_TO_PUBLISH',
  /** The indicator is retired already. */
  ALREADY_RETIRED: 'ALREADY_RETIRED',
  /** A retired indicator cannot be consulted. */
  INDICATOR_RETIRED: 'INDICATOR_RETIRED',
  /** The texts sent leave the consulted version as it was. */
  REVISION_UNCHANGED: 'REVISION_UNCHANGED',
  /** A release number is not `YYYY.N`. */
  RELEASE_NUMBER_FORMAT: 'RELEASE_NUMBER_FORMAT',
  /** The framework already has a release of that number. */
  RELEASE_NUMBER_TAKEN: 'RELEASE_NUMBER_TAKEN',
  /** No indicator changed since the previous release. */
  RELEASE_NO_CHANGES: 'RELEASE_NO_CHANGES',
  /** The release is final already. */
  RELEASE_ALREADY_FINAL: 'RELEASE_ALREADY_FINAL',
  /** A later release is final: an older one cannot become the standard again. */
  RELEASE_SUPERSEDED: 'RELEASE_SUPERSEDED',

  // Rounds: setting one up (every problem of the form is reported at once)
  /** The title has no text in the framework's source language. */
  TITLE_SOURCE_LANGUAGE: 'TITLE_SOURCE_LANGUAGE',
  /** The closing time is not after the opening time. */
  DATES_OUT_OF_ORDER: 'DATES_OUT_OF_ORDER',
  /** The closing time has passed by the server's clock. */
  CLOSES_IN_PAST: 'CLOSES_IN_PAST',
  /** A new closing time earlier than the current one. */
  CLOSES_BEFORE_CURRENT: 'CLOSES_BEFORE_CURRENT',
  /** Scheduling a round whose opening time has passed (open it now instead). */
  OPENS_IN_PAST: 'OPENS_IN_PAST',
  /** No indicator chosen. */
  NO_INDICATORS: 'NO_INDICATORS',
  /** An indicator version id that names none. */
  UNKNOWN_VERSION: 'UNKNOWN_VERSION',
  /** A version of another framework's indicator. */
  VERSION_OF_OTHER_FRAMEWORK: 'VERSION_OF_OTHER_FRAMEWORK',
  /** A rejected version cannot be consulted. */
  VERSION_REJECTED: 'VERSION_REJECTED',
  /** Two versions of one indicator. */
  ONE_VERSION_PER_INDICATOR: 'ONE_VERSION_PER_INDICATOR',
  /** Neither everyone, nor the working group, nor an organization or country. */
  AUDIENCE_EMPTY: 'AUDIENCE_EMPTY',
  /** An organization id that names none. */
  UNKNOWN_ORGANIZATION: 'UNKNOWN_ORGANIZATION',
  /** Practice ratings asked of a framework that is not one of essential practices. */
  RATINGS_NOT_PRACTICES: 'RATINGS_NOT_PRACTICES',

  // Rounds: what their status allows
  /** The round is still a draft. */
  ROUND_DRAFT: 'ROUND_DRAFT',
  /** The round has not opened yet. */
  ROUND_NOT_OPEN: 'ROUND_NOT_OPEN',
  /** The round is scheduled: it is no longer a draft. */
  ROUND_SCHEDULED: 'ROUND_SCHEDULED',
  /** The round is open: it is no longer a draft. */
  ROUND_OPEN: 'ROUND_OPEN',
  /** The round has closed. */
  ROUND_CLOSED: 'ROUND_CLOSED',
  /** The round is resolved; its dispositions are final. */
  ROUND_RESOLVED: 'ROUND_RESOLVED',
  /** Publishing a summary needs a resolved round. */
  ROUND_NOT_RESOLVED: 'ROUND_NOT_RESOLVED',
  /** Resolving needs a disposition for every standing comment. */
  DISPOSITIONS_MISSING: 'DISPOSITIONS_MISSING',
  /** The round's audience leaves this reader out. */
  NOT_IN_AUDIENCE: 'NOT_IN_AUDIENCE',
  /** The summary of the round is not published yet. */
  SUMMARY_NOT_PUBLISHED: 'SUMMARY_NOT_PUBLISHED',
  /** The round asks for no practice ratings. */
  RATINGS_DISABLED: 'RATINGS_DISABLED',

  // Writes sent again (a phone's outbox)
  /** The idempotency key was used already for another operation or another payload. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',

  // Comments and dispositions
  /** Only its author changes a comment. */
  NOT_AUTHOR: 'NOT_AUTHOR',
  /** Only a facilitator gives the official response. */
  OFFICIAL_REPLY_FACILITATOR_ONLY: 'OFFICIAL_REPLY_FACILITATOR_ONLY',
  /** The anchor quotes a field this version has no text in. */
  ANCHOR_FIELD_EMPTY: 'ANCHOR_FIELD_EMPTY',
  /** Offsets without the quoted passage, or a passage not found. */
  ANCHOR_MISMATCH: 'ANCHOR_MISMATCH',
  /** A withdrawn comment takes no disposition. */
  COMMENT_WITHDRAWN: 'COMMENT_WITHDRAWN',
  /** The near-duplicate group has no standing comment. */
  GROUP_EMPTY: 'GROUP_EMPTY',

  // Ballots
  /** The revision is in a ballot not yet decided. */
  REVISION_IN_BALLOT: 'REVISION_IN_BALLOT',
  /** Nobody would be eligible to vote. */
  NO_ELIGIBLE_VOTERS: 'NO_ELIGIBLE_VOTERS',
  /** The ballot is open already; reopening means a new ballot. */
  BALLOT_ALREADY_OPENED: 'BALLOT_ALREADY_OPENED',
  /** The ballot was never opened. */
  BALLOT_NOT_OPEN: 'BALLOT_NOT_OPEN',
  /** The ballot is closed. */
  BALLOT_CLOSED: 'BALLOT_CLOSED',
  /** The voter is not among the ballot's eligible voters. */
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  /** A REJECT must say why. */
  REASON_REQUIRED: 'REASON_REQUIRED',

  // Importing a round
  /** The round is already in this instance. */
  ROUND_EXISTS: 'ROUND_EXISTS',
  /** A row clashes with one here: the same id, or a shared framework changed apart in both instances. */
  ALREADY_EXISTS: 'ALREADY_EXISTS',

  // Certification
  /** A scheme rests on a final release only. */
  RELEASE_NOT_FINAL: 'RELEASE_NOT_FINAL',
  /** The release has its scheme already; a new release needs a new scheme. */
  SCHEME_EXISTS: 'SCHEME_EXISTS',
  /** An area that is not a top-level section of the release's framework, or named twice. */
  SCHEME_AREA_INVALID: 'SCHEME_AREA_INVALID',
  /** An indicator that is not in the release under that area, or named twice. */
  SCHEME_INDICATOR_INVALID: 'SCHEME_INDICATOR_INVALID',
  /** The surveillance review must fall before the end of validity. */
  SURVEILLANCE_AFTER_VALIDITY: 'SURVEILLANCE_AFTER_VALIDITY',
  /** Essential indicators carry no points; scored ones carry some. */
  SCHEME_POINTS_INVALID: 'SCHEME_POINTS_INVALID',
  /** Opening an assessment needs a person of a microfinance institution. */
  NOT_AN_INSTITUTION: 'NOT_AN_INSTITUTION',
  /** Only the institution's own people, or the assessment's assigned reviewers, may do this. */
  NOT_ASSESSMENT_PARTY: 'NOT_ASSESSMENT_PARTY',
  /** The answer was saved since it was read (another tab, person or a save replayed late). */
  STALE_ANSWER: 'STALE_ANSWER',
  /** A quantitative indicator is judged from its reported value, which is missing. */
  VALUE_REQUIRED: 'VALUE_REQUIRED',
  /** The assessment is submitted: its answers are frozen. */
  ASSESSMENT_SUBMITTED: 'ASSESSMENT_SUBMITTED',
  /** Submitting needs an answer for every indicator of its areas. */
  ANSWERS_MISSING: 'ANSWERS_MISSING',
  /** The assessment is not under review (not submitted yet, or decided). */
  ASSESSMENT_NOT_IN_REVIEW: 'ASSESSMENT_NOT_IN_REVIEW',
  /** The reviewer's organization is not an accredited certification body. */
  REVIEWER_NOT_ACCREDITED: 'REVIEWER_NOT_ACCREDITED',
  /** A reviewer of the assessed institution itself. */
  CONFLICT_OF_INTEREST: 'CONFLICT_OF_INTEREST',
  /** Changing a judgment, or deciding against the scheme's result, needs a reason. */
  CHANGE_REASON_REQUIRED: 'CHANGE_REASON_REQUIRED',
  /** Evidence requested is not answered yet. */
  EVIDENCE_PENDING: 'EVIDENCE_PENDING',
  /** The evidence request is answered already. */
  EVIDENCE_ANSWERED: 'EVIDENCE_ANSWERED',
  /** The area is decided already. */
  AREA_DECIDED: 'AREA_DECIDED',
  /** The scheme has this area decided by a ballot of the committee, not directly. */
  AREA_DECIDED_BY_BALLOT: 'AREA_DECIDED_BY_BALLOT',
  /** The scheme has this area decided directly by the committee, not by a ballot. */
  AREA_DECIDED_DIRECTLY: 'AREA_DECIDED_DIRECTLY',
  /** A committee ballot on this area is not decided yet. */
  COMMITTEE_BALLOT_PENDING: 'COMMITTEE_BALLOT_PENDING',
  /** A withdrawn seal stays withdrawn; a suspended one is suspended already; an active one needs no reinstating. */
  SEAL_STATUS_UNCHANGED: 'SEAL_STATUS_UNCHANGED',

  // Certification evidence files and the questionnaire round trip
  /** The file is empty. */
  EVIDENCE_EMPTY: 'EVIDENCE_EMPTY',
  /** The file is over the size limit (EVIDENCE_MAX_BYTES). */
  EVIDENCE_TOO_LARGE: 'EVIDENCE_TOO_LARGE',
  /** The file's bytes are none of PDF, XLSX, PNG or JPEG. */
  EVIDENCE_TYPE_UNSUPPORTED: 'EVIDENCE_TYPE_UNSUPPORTED',
  /** The file's name or declared type claims another type than its bytes are. */
  EVIDENCE_TYPE_MISMATCH: 'EVIDENCE_TYPE_MISMATCH',
  /** The file holds web markup or script (HTML, SVG, a polyglot). */
  EVIDENCE_ACTIVE_CONTENT: 'EVIDENCE_ACTIVE_CONTENT',
  /** A spreadsheet whose archive is malformed or says it unpacks to too much (a zip bomb). */
  EVIDENCE_ARCHIVE_SUSPICIOUS: 'EVIDENCE_ARCHIVE_SUSPICIOUS',
  /** A submitted assessment's evidence is frozen; new files come only with an open evidence request on that indicator. */
  EVIDENCE_FROZEN: 'EVIDENCE_FROZEN',
  /** An upload without the header that shows it comes from Consulta's own pages (a cross-site form cannot send it). */
  UPLOAD_HEADER_REQUIRED: 'UPLOAD_HEADER_REQUIRED',
  /** The questionnaire is not a spreadsheet Consulta can read. */
  QUESTIONNAIRE_UNREADABLE: 'QUESTIONNAIRE_UNREADABLE',
  /** The questionnaire belongs to another assessment, or is not one Consulta made. */
  QUESTIONNAIRE_OTHER_ASSESSMENT: 'QUESTIONNAIRE_OTHER_ASSESSMENT',
  /** Some cells of the questionnaire could not be taken (`problems` lists each); nothing was imported. */
  QUESTIONNAIRE_CELLS_REFUSED: 'QUESTIONNAIRE_CELLS_REFUSED',
  /** Benchmarks are for the committee, facilitators and the institutions taking part in the pilot. */
  NOT_PARTICIPATING: 'NOT_PARTICIPATING',

  // Meetings
  /** A time zone that is not an IANA one (e.g. America/Lima). */
  MEETING_TIME_ZONE: 'MEETING_TIME_ZONE',
  /** A meeting needs a place, an online link, or both. */
  MEETING_PLACE_REQUIRED: 'MEETING_PLACE_REQUIRED',
  /** The meeting is over. */
  MEETING_OVER: 'MEETING_OVER',
  /** The person is not registered for the meeting. */
  NOT_REGISTERED: 'NOT_REGISTERED',
  /** Attendance needs a name, an organization and a country. */
  ATTENDANCE_INCOMPLETE: 'ATTENDANCE_INCOMPLETE',
  /** An agenda item's link names nothing of its kind (an indicator not consulted in that round, say). */
  AGENDA_LINK_INVALID: 'AGENDA_LINK_INVALID',
  /** The meeting's minutes are approved: they no longer change. */
  MINUTES_APPROVED: 'MINUTES_APPROVED',
  /** Only the working-group members recorded present sign the minutes off. */
  NOT_PRESENT: 'NOT_PRESENT',
  /** The agenda has no current item (the meeting has not started, or the item is not the current one). */
  NO_CURRENT_ITEM: 'NO_CURRENT_ITEM',
  /** A quick ballot needs an agenda item about a revision. */
  QUICK_BALLOT_NEEDS_REVISION: 'QUICK_BALLOT_NEEDS_REVISION',
  /** A point from the room goes on an item about an indicator consulted in a round. */
  ROOM_POINT_NEEDS_INDICATOR: 'ROOM_POINT_NEEDS_INDICATOR',

  // Work plan
  /** The work plan is the working group's: its members and the facilitators read it. */
  WORKING_GROUP_ONLY: 'WORKING_GROUP_ONLY',
  /** That year has a work plan already. */
  WORK_PLAN_EXISTS: 'WORK_PLAN_EXISTS',
  /** An activity marked done has come all the way: its progress is 100. */
  ACTIVITY_DONE_PROGRESS: 'ACTIVITY_DONE_PROGRESS',
  /** An activity's link names nothing of its kind. */
  ACTIVITY_LINK_INVALID: 'ACTIVITY_LINK_INVALID',
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

export interface FieldProblem {
  field: string;
  message: string;
}

export interface DomainErrorDetails {
  /** A stable, finer reason a client can translate, e.g. `INVITATION_EXPIRED`. */
  reason?: Refusal;
  fields?: FieldProblem[];
  [key: string]: unknown;
}

/** Services throw this; `formatError` turns it into a GraphQL error with the same code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string, reason?: Refusal) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, { reason, fields: [{ field, message }] });
/** A plain String argument (input classes use MaxLength): refused when longer than `max`, never cut short. */
export function withinLength(field: string, value: string, max: number): string {
  if (value.length > max) throw badInput(field, `At most ${max.toLocaleString('en')} characters`);
  return value;
}
export const notFound = (what: string, id?: string) =>
  new DomainError(ErrorCode.NOT_FOUND, id ? `${what} ${id} does not exist` : `${what} does not exist`, {
    reason: Refusal.NOT_FOUND,
  });
export const forbidden = (message = 'You are not allowed to do this', reason?: Refusal) =>
  new DomainError(ErrorCode.FORBIDDEN, message, { reason });
export const conflict = (message: string, details: DomainErrorDetails = {}) =>
  new DomainError(ErrorCode.CONFLICT, message, details);

/** The one mapping from anything thrown to what a client sees. */
export function formatError(
  formatted: GraphQLFormattedError,
  thrown: unknown,
  options: { exposeInternals: boolean; log: (err: unknown, correlationId: string) => void },
): GraphQLFormattedError {
  const original = unwrapResolverError(thrown);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof ArgumentValidationError) {
    const fields = original.extensions.validationErrors.flatMap((e) => flattenValidation(e));
    return {
      ...base,
      message: `Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
    };
  }
  if (isMalformedId(original)) {
    // Every id is a UUID; PostgreSQL is the one place that checks, wherever the id sits in the request.
    return { ...base, message: 'An id in this request is not a valid id (a UUID)', extensions: { code: ErrorCode.BAD_USER_INPUT, reason: Refusal.INVALID_ID } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // GraphQL's own errors (parse, validation, variable coercion) are the client's to fix.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions: options.exposeInternals ? formatted.extensions : extensions };
  }
  // The one thing the client and the log line share, so a person reporting it can be matched with the cause.
  const correlationId = randomUUID();
  options.log(original, correlationId);
  return {
    ...base,
    message: options.exposeInternals && original instanceof Error ? original.message : `Internal server error (reference ${correlationId})`,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, correlationId },
  };
}

/** PostgreSQL's invalid_text_representation, for a uuid column given something else. */
function isMalformedId(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === '22P02' && /type uuid/.test(err.message);
}

interface ValidationNode {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationNode[];
}

function flattenValidation(node: ValidationNode, prefix = ''): FieldProblem[] {
  const field = prefix ? `${prefix}.${node.property}` : node.property;
  const own = Object.values(node.constraints ?? {}).map((message) => ({ field, message }));
  return [...own, ...(node.children ?? []).flatMap((child) => flattenValidation(child, field))];
}

/** Each code as an HTTP status, for the download routes, which answer JSON rather than GraphQL. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};

/**
 * What a download route answers when its file cannot start: the code, message and details GraphQL
 * would give, or, for anything else thrown, a correlation id that `log` records with the cause.
 */
export function downloadRefusal(err: unknown, log: (err: unknown, correlationId: string) => void): { status: number; body: Record<string, unknown> } {
  if (err instanceof DomainError) return { status: HTTP_STATUS[err.code], body: { code: err.code, message: err.message, ...err.details } };
  const correlationId = randomUUID();
  log(err, correlationId);
  return { status: 500, body: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: `Internal server error (reference ${correlationId})`, correlationId } };
}

/** For code outside resolvers (HTTP endpoints) that needs the same vocabulary. */
export function toGraphQLError(err: DomainError): GraphQLError {
  return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
}
