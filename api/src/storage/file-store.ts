import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import { filesystemStore } from './filesystem-store.js';
import { s3Store } from './s3-store.js';

/**
 * Where uploaded files' bytes live, named by the SHA-256 of their content (lower-case hex): the same
 * bytes uploaded twice are stored once, and a name can never point at other bytes. Rows in the
 * database say which file is whose; the store knows nothing of people or assessments.
 *
 * Two adapters, chosen in config (`FILE_STORE`): `filesystem` (the default, under `FILE_STORE_DIR`)
 * and `s3` (an S3-compatible bucket, for several API machines). Each puts a file only when absent
 * and serves it back through the API (never a public or pre-signed URL), so access checks and
 * audit stay here.
 */
export interface FileStore {
  /** Stores `bytes` under `sha256`; storing the same content again is a no-op. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** The stored bytes as a stream, or null when nothing is stored under that hash. */
  open(sha256: string): Promise<Readable | null>;
  has(sha256: string): Promise<boolean>;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const stores = new WeakMap<Config, FileStore>();

/** The process's file store for `config`, made on first use. */
export function fileStore(config: Config): FileStore {
  let store = stores.get(config);
  if (!store) {
    store =
      config.FILE_STORE === 's3'
        ? s3Store({
            endpoint: config.S3_ENDPOINT,
            region: config.S3_REGION,
            bucket: config.S3_BUCKET!,
            prefix: config.S3_PREFIX,
            accessKeyId: config.S3_ACCESS_KEY_ID!,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY!,
            forcePathStyle: config.S3_FORCE_PATH_STYLE,
          })
        : filesystemStore(config.FILE_STORE_DIR ?? `${config.DATA_DIR}/files`);
    stores.set(config, store);
  }
  return store;
}
