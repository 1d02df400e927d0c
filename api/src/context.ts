import type { EntityManager } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Viewer } from './auth/viewer.js';
import type { PasswordHasher } from './auth/password.js';
import type { RateLimits } from './limits/rate-limits.js';
import type { Locale } from './users/user.entity.js';

/**
 * Process-wide collaborators, built once at start-up. A module with one of its own adds it to this
 * interface where it is defined (`declare module '…/context.js'`), so the context names no feature.
 */
export interface AppServices {
  config: Config;
  log: Logger;
  hasher: PasswordHasher;
  /** Attempt counters shared by every API process (sign-in, invitations, comments). */
  rateLimits: RateLimits;
}

/** How a resolver reads and changes the browser's sign-in cookies; a WebSocket context cannot change them. */
export interface SessionCookie {
  set(token: string, expiresAt: Date): void;
  clear(): void;
  /** The device cookie the browser sent (auth/device-cookie.ts), if any. */
  readonly device: string | null;
  setDevice(value: string, expiresAt: Date): void;
}

export type LoaderFactory<K, V> = (em: EntityManager, ctx: RequestContext) => DataLoader<K, V>;

/** Everything one GraphQL request sees. Built fresh per request (and per WebSocket operation). */
export interface RequestContext {
  /** This request's own entity manager; inside a mutation it is the transaction's. */
  em: EntityManager;
  viewer: Viewer | null;
  app: AppServices;
  cookie: SessionCookie;
  ip: string;
  /** The languages the reader's browser asked for (Accept-Language), best first: texts fall back through them. */
  languages: Locale[];
  /** The per-request DataLoader made by `factory`, created on first use. */
  loader<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V>;
}

export function createRequestContext(init: Pick<RequestContext, 'em' | 'viewer' | 'app' | 'cookie' | 'ip' | 'languages'>): RequestContext {
  const loaders = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown>>();
  const ctx: RequestContext = {
    ...init,
    loader<K, V>(factory: LoaderFactory<K, V>) {
      let l = loaders.get(factory as LoaderFactory<unknown, unknown>);
      if (!l) {
        l = factory(ctx.em, ctx) as DataLoader<unknown, unknown>;
        loaders.set(factory as LoaderFactory<unknown, unknown>, l);
      }
      return l as DataLoader<K, V>;
    },
  };
  return ctx;
}
