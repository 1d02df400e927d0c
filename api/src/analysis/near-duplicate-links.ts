/**
 * Finds near-identical pairs among many comments at once, for regrouping a whole round. Pairwise
 * comparison grows with the square of the round, and the trigram index cannot prune long comments
 * that share most words; MinHash with banded locality-sensitive hashing finds the candidate pairs
 * in time proportional to the round, and each candidate is then checked exactly.
 *
 * Similarity is pg_trgm's, on the same normalized text (`comment_match_text`): the share of
 * distinct trigrams two texts have in common, each word padded with two spaces before and one after.
 */

export interface LinkText {
  id: string;
  /** Normalized by `comment_match_text`. */
  text: string;
  /** Only loose comments are linked from; the others (confirmed members) can be linked to. */
  loose: boolean;
}

export interface Link {
  id: string;
  matchId: string;
  similarity: number;
}

const BANDS = 16;
const ROWS = 4;
/** Comments a new one is checked against per bucket: enough to join a campaign, bounded however large it is. */
const HEADS = 4;

/** Distinct trigrams of a normalized text, hashed to 32 bits (FNV-1a), sorted. */
export function trigrams(text: string): Uint32Array {
  const hashes = new Set<number>();
  for (const [word] of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const chars = [' ', ' ', ...word, ' '];
    for (let i = 0; i + 2 < chars.length; i++) {
      let h = 0x811c9dc5;
      for (const ch of chars[i] + chars[i + 1] + chars[i + 2]) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
      hashes.add(h >>> 0);
    }
  }
  return Uint32Array.from(hashes).sort();
}

export function similarity(a: Uint32Array, b: Uint32Array): number {
  if (!a.length || !b.length) return 0;
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) (common++, i++, j++);
    else if (a[i] < b[j]) i++;
    else j++;
  }
  return common / (a.length + b.length - common);
}

// Fixed odd multipliers and offsets: the same comments always give the same buckets.
const SEEDS = Array.from({ length: BANDS * ROWS }, (_, k) => [(Math.imul(k + 1, 0x9e3779b1) | 1) >>> 0, Math.imul(k + 7, 0x85ebca6b) >>> 0]);

function signature(grams: Uint32Array): Uint32Array {
  const sig = new Uint32Array(SEEDS.length).fill(0xffffffff);
  for (const g of grams) {
    for (let k = 0; k < SEEDS.length; k++) {
      let h = (Math.imul(g, SEEDS[k][0]) + SEEDS[k][1]) >>> 0;
      h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
      if (h < sig[k]) sig[k] = h;
    }
  }
  return sig;
}

/**
 * Every pair at or above `threshold` found among comments that share a bucket, from a loose
 * comment. All of them, not only each comment's nearest: nearest-neighbour links alone can split a
 * campaign into separate pairs, while linked comments form one group transitively.
 */
export function linkNearDuplicates(items: LinkText[], threshold: number): Link[] {
  const grams = items.map((item) => trigrams(item.text));
  const buckets = new Map<string, number[]>();
  const links: Link[] = [];
  const consider = (i: number, j: number) => {
    if (!items[i].loose && !items[j].loose) return;
    const s = similarity(grams[i], grams[j]);
    if (s < threshold) return;
    const [from, to] = items[i].loose ? [i, j] : [j, i];
    links.push({ id: items[from].id, matchId: items[to].id, similarity: s });
  };
  items.forEach((_, i) => {
    if (!grams[i].length) return;
    const sig = signature(grams[i]);
    const checked = new Set<number>();
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${sig.subarray(band * ROWS, band * ROWS + ROWS).join(',')}`;
      const heads = buckets.get(key);
      if (!heads) {
        buckets.set(key, [i]);
        continue;
      }
      for (const j of heads) {
        if (checked.has(j)) continue;
        checked.add(j);
        consider(i, j);
      }
      if (heads.length < HEADS) heads.push(i);
    }
  });
  return links;
}
