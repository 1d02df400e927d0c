import type { Readable } from 'node:stream';

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
