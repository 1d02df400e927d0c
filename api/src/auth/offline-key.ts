import { createECDH, createHmac } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { reads } from '../db/reads.js';

/**
 * The key that seals what a person keeps on their device (drafts, writes waiting for a link: issue 26),
 * so that on a shared phone the next person, or anyone after a sign-out or a lost session, finds only
 * ciphertext. A P-256 pair derived from the person's id and an instance secret: every session of one
 * person gets the same pair (a draft sealed in one opens in the next), nobody else can get it. The
 * device seals with the public half, which it may keep (pages read without a link seal too); only the
 * signed-in person is given the private half, which the page holds in memory to open them. Given as a
 * JSON Web Key (RFC 7517), as WebCrypto imports it.
 */
export async function offlineKey(em: EntityManager, userId: string): Promise<string> {
  const row = await reads(em).selectFrom('instance_secret').select('value').where('name', '=', 'offline_seal').executeTakeFirstOrThrow();
  const curve = createECDH('prime256v1');
  // A digest at or above the curve's order is not a private key (a chance of 2^-32): the next counter's is.
  let scalar: Buffer;
  for (let counter = 0; ; counter++) {
    scalar = createHmac('sha256', row.value).update(`offline-seal\n${userId}\n${counter}`).digest();
    try {
      curve.setPrivateKey(scalar);
      break;
    } catch {
      continue;
    }
  }
  const point = curve.getPublicKey();
  const b64 = (bytes: Buffer) => bytes.toString('base64url');
  return JSON.stringify({ kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)), d: b64(scalar) });
}
