/**
 * What the web server tells the service worker on every page and page-data response, in headers
 * (shared by hooks.server.ts and service-worker.ts).
 */

/** The signed-in session's offline key (a one-way digest of the session, not the session), or `none`. */
export const PERSON_HEADER = 'x-consulta-person';
export const NO_PERSON = 'none';

/** Set on pages worth keeping for reading offline: `person` (kept for this session only) or `public`. */
export const KEEP_HEADER = 'x-consulta-keep';
export type Keep = 'person' | 'public';

/** When a kept copy was fetched, on the copy in the cache. */
export const SAVED_AT_HEADER = 'x-consulta-saved-at';

/** On a write the outbox sends: the id of the person who wrote it, who alone may send it (see `otherWriter`). */
export const WRITER_HEADER = 'x-consulta-writer';
