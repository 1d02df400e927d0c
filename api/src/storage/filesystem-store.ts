import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileStore } from './file-store.types.js';

const HASH = /^[0-9a-f]{64}$/;

/**
 * Files under `root/<first two hex digits>/<sha256>`, readable by the API's user only. A file is
 * written beside its place and renamed into it, so a reader never sees half of one.
 */
export function filesystemStore(root: string): FileStore {
  const pathOf = (sha256: string) => {
    if (!HASH.test(sha256)) throw new Error(`Not a SHA-256 name: ${sha256}`);
    return join(root, sha256.slice(0, 2), sha256);
  };
  const has = async (sha256: string) => {
    try {
      return (await stat(pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  };
  return {
    has,
    async put(sha256, bytes) {
      if (await has(sha256)) return;
      const path = pathOf(sha256);
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      const partial = `${path}.${randomUUID()}.partial`;
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, path);
    },
    async open(sha256): Promise<Readable | null> {
      return (await has(sha256)) ? createReadStream(pathOf(sha256)) : null;
    },
  };
}
