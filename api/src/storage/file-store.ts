import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { FileStore } from './file-store.types.js';
import { filesystemStore } from './filesystem-store.js';
import { s3Store } from './s3-store.js';

// The adapters implement the contract from its own module, so they and this factory import no circle.
export type { FileStore };

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
