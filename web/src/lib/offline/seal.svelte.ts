/**
 * What a person keeps on this device (drafts, writes waiting for a link) is kept sealed, so that after
 * a sign-out or a lost session, and for the next person on a shared phone, the device holds ciphertext
 * only. Each person has a P-256 key pair from the API (`offlineKey`, the same in every session of theirs):
 * a page seals with its public half (kept on the device, so a page read without a link seals too) and
 * opens with the private half, which only the signed-in person gets, and which the page holds in memory
 * only (non-extractable), never on the device. Each value is sealed ECIES-style: a fresh ephemeral key,
 * ECDH with the person's public key, AES-GCM with a fresh random IV.
 */

import { browserClient } from '$lib/graphql/client';
import { OfflineKeyDocument } from '$lib/graphql/generated';

/** What a sealed value is kept as. */
export interface Sealed {
  /** The ephemeral public key the sealing key was agreed with. */
  epk: JsonWebKey;
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;
const AES = { name: 'AES-GCM', length: 256 } as const;
/** Where the person's public key is kept: public, so nothing confidential. */
const publicKeyName = (person: string) => `consulta:seal:${person}`;

interface Pair {
  person: string;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

class Seal {
  /** The person whose values this page can open now; forms that found a sealed draft read it again when it changes. */
  opens = $state<string | null>(null);
  #pair: Pair | null = null;
  #asking: Promise<Pair | null> | null = null;
  /** Counts the changes of person: a key asked for before one is not taken after it. */
  #turn = 0;

  /** Whoever signed out, or another signed in: the key of the one before leaves memory. */
  follow(person: string | null) {
    if (this.#pair?.person === person) return;
    this.#turn++;
    this.#pair = null;
    this.#asking = null;
    this.opens = null;
  }

  /** The person's pair, asked of the API when the page has none yet; null without a link or their session. */
  async #pairOf(person: string): Promise<Pair | null> {
    if (this.#pair?.person === person) return this.#pair;
    if (!navigator.onLine) return null;
    const turn = this.#turn;
    const asking = (this.#asking ??= fetchPair(person).finally(() => {
      if (this.#asking === asking) this.#asking = null;
    }));
    const pair = await asking;
    // Signed out, or another person came, while it was asked.
    if (turn !== this.#turn || pair?.person !== person) return null;
    this.#pair = pair;
    this.opens = person;
    return pair;
  }

  /**
   * Asked once per device and person, while there is a link: their public key, so that what they keep
   * later without one is sealed too. Otherwise the private half is asked for only when something is
   * to be opened: not a request on every page a phone loads.
   */
  async know(person: string) {
    if (!localStorage.getItem(publicKeyName(person))) await this.#pairOf(person);
  }

  /** The link is back: the key comes, and forms that kept a draft they could not open read it again. */
  async ready(person: string) {
    await this.#pairOf(person);
  }

  /** The value sealed for `person`; null when this device has no key of theirs (never online in this version). */
  async seal(person: string, value: unknown): Promise<Sealed | null> {
    const publicKey = this.#pair?.person === person ? this.#pair.publicKey : ((await keptPublicKey(person)) ?? (await this.#pairOf(person))?.publicKey);
    if (!publicKey) return null;
    const ephemeral = await crypto.subtle.generateKey(CURVE, false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: publicKey }, ephemeral.privateKey, AES, false, ['encrypt']);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(JSON.stringify(value)));
    return { epk: await crypto.subtle.exportKey('jwk', ephemeral.publicKey), iv, data };
  }

  /**
   * The value, or undefined when it cannot be opened here: no key yet (no link), or sealed for another
   * person or with another key. Left as it is, never an error.
   */
  async open<T>(person: string, sealed: Sealed | undefined): Promise<T | undefined> {
    if (!sealed?.epk || !sealed.iv || !sealed.data) return undefined;
    const pair = await this.#pairOf(person);
    if (!pair) return undefined;
    try {
      const epk = await crypto.subtle.importKey('jwk', sealed.epk, CURVE, false, []);
      const key = await crypto.subtle.deriveKey({ name: 'ECDH', public: epk }, pair.privateKey, AES, false, ['decrypt']);
      return JSON.parse(new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.data))) as T;
    } catch {
      return undefined;
    }
  }
}

/** The signed-in person's pair, checked to be `person`'s: another tab may have signed someone else in on this browser. */
async function fetchPair(person: string): Promise<Pair | null> {
  try {
    // Always asked of the API, never answered from the client's cache: the session may have changed since.
    const { data } = await browserClient().query(OfflineKeyDocument, {}, { requestPolicy: 'network-only', fetchOptions: { cache: 'no-store' } }).toPromise();
    if (data?.me?.id !== person || !data.offlineKey) return null;
    const jwk = JSON.parse(data.offlineKey) as JsonWebKey;
    const publicJwk: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    localStorage.setItem(publicKeyName(person), JSON.stringify(publicJwk));
    return {
      person,
      publicKey: await crypto.subtle.importKey('jwk', publicJwk, CURVE, true, []),
      privateKey: await crypto.subtle.importKey('jwk', jwk, CURVE, false, ['deriveKey']),
    };
  } catch {
    return null;
  }
}

async function keptPublicKey(person: string): Promise<CryptoKey | undefined> {
  try {
    const kept = localStorage.getItem(publicKeyName(person));
    return kept ? await crypto.subtle.importKey('jwk', JSON.parse(kept), CURVE, true, []) : undefined;
  } catch {
    return undefined;
  }
}

export const seal = new Seal();
