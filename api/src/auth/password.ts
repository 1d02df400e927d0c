import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { badInput } from '../errors.js';
import { isCommonPassword } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `hash`. With no hash (no such account) it still runs a check of the
   * same cost and answers false, so the time taken does not tell whether an account exists.
   */
  verify(hash: string | null | undefined, password: string): Promise<boolean>;
  /** True when the hash was made with other parameters than today's, so checking it costs another time. */
  needsRehash(hash: string): boolean;
}

/** argon2id, the OWASP first choice; the memory cost comes from configuration. */
export function passwordHasher(memoryCost: number): PasswordHasher {
  const options = { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 } as const;
  // Made once per process, in the background, with today's parameters: what an unknown account is checked against.
  const noAccount = argon2.hash(randomBytes(32).toString('base64url'), options);
  noAccount.catch(() => undefined);
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (hash, password) => {
      try {
        const matches = await argon2.verify(hash ?? (await noAccount), password);
        return Boolean(hash) && matches;
      } catch {
        return false;
      }
    },
    needsRehash: (hash) => argon2.needsRehash(hash, options),
  };
}

/** The account policy: long enough, not absurdly long, not on the list of common or breached passwords. */
export function checkPasswordPolicy(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw badInput(field, `Use at least ${PASSWORD_MIN_LENGTH} characters`, 'PASSWORD_TOO_SHORT');
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw badInput(field, `Use at most ${PASSWORD_MAX_LENGTH} characters`, 'PASSWORD_TOO_LONG');
  }
  if (isCommonPassword(password)) {
    throw badInput(field, 'This password is too common or has appeared in a breach; choose another', 'PASSWORD_COMMON');
  }
}
