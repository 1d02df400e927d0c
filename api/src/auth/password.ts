import argon2 from 'argon2';
import { badInput } from '../errors.js';
import { isCommonPassword } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** argon2id, the OWASP first choice; the memory cost comes from configuration. */
export function passwordHasher(memoryCost: number): PasswordHasher {
  return {
    hash: (password) => argon2.hash(password, { type: argon2.argon2id, memoryCost, timeCost: 2, parallelism: 1 }),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    },
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
