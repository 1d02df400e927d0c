import type { DB as Tables } from '../db/tables.js';

/** Where the comment list's criteria apply (comment-list.ts, and the analysis's in comment-criteria.ts): `c` is the comment. */
export type Listed = Tables & { c: Tables['comment'] };
