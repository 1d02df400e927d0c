import { Field, ObjectType } from 'type-graphql';
import { badInput } from '../errors.js';

/**
 * Paging for the lists that grow with participation (people, organizations): keyset on (name, id),
 * forward with `after` and back with `before`, so a page costs the same on the first or the hundredth.
 */
@ObjectType({ description: 'Where a page of a directory sits in the whole list.' })
export class DirectoryPageInfo {
  @Field(() => Boolean, { description: 'Whether more items follow this page.' }) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'Whether items come before this page.' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `before` for the page before; null on an empty page.' }) startCursor!: string | null;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the page after; null on an empty page.' }) endCursor!: string | null;
}

export const MAX_DIRECTORY_PAGE = 200;

export interface NamedRow {
  id: string;
  name: string;
}

export function directoryCursor(row: NamedRow): string {
  return Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');
}

export function readDirectoryCursor(cursor: string, argument: 'after' | 'before'): NamedRow {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) return { name, id };
  } catch {
    // Falls through to the refusal below.
  }
  throw badInput(argument, 'Not a cursor of this list');
}

export interface PageRequest {
  first: number;
  after: string | null;
  before: string | null;
}

export function checkPageRequest(request: PageRequest): void {
  if (request.first < 1 || request.first > MAX_DIRECTORY_PAGE) throw badInput('first', `Between 1 and ${MAX_DIRECTORY_PAGE}`);
  if (request.after && request.before) throw badInput('before', 'Give `after` or `before`, not both');
}

/** The page from rows read one beyond `first` (in reading order: backwards when paging with `before`). */
export function pageOf<R extends NamedRow>(rows: R[], request: PageRequest): { rows: R[]; pageInfo: DirectoryPageInfo } {
  const more = rows.length > request.first;
  const page = rows.slice(0, request.first);
  if (request.before) page.reverse();
  return {
    rows: page,
    pageInfo: {
      hasNextPage: request.before ? true : more,
      hasPreviousPage: request.before ? more : Boolean(request.after),
      startCursor: page[0] ? directoryCursor(page[0]) : null,
      endCursor: page.at(-1) ? directoryCursor(page.at(-1)!) : null,
    },
  };
}

/** `%text%` for LIKE, with the pattern characters the person typed taken literally. */
export function containsPattern(text: string): string {
  return `%${text.trim().replace(/[\\%_]/g, '\\$&')}%`;
}
