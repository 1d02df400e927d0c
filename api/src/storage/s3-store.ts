import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FileStore } from './file-store.types.js';

const HASH = /^[0-9a-f]{64}$/;

export interface S3StoreSettings {
  endpoint?: string;
  region: string;
  bucket: string;
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

type Sdk = typeof import('@aws-sdk/client-s3');

const missing = (sdk: Sdk, err: unknown) => err instanceof sdk.S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');

/**
 * Files in an S3-compatible bucket at `<prefix><sha256>`, for several API machines. The bytes go
 * to the bucket with their own SHA-256 (the server refuses them if they arrive changed) and come
 * back only through the API, never by a public or pre-signed address, so access checks and the
 * audit stay in one place. Checksums are sent only where S3 requires them: the newer default
 * (CRC32 on every upload) is refused by several S3-compatible servers.
 */
export function s3Store(settings: S3StoreSettings): FileStore {
  // The SDK is loaded with the first file asked for: about 20 MB of a process that may store none.
  let connected: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  const s3 = () =>
    (connected ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        endpoint: settings.endpoint,
        region: settings.region,
        forcePathStyle: settings.forcePathStyle,
        credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  const keyOf = (sha256: string) => {
    if (!HASH.test(sha256)) throw new Error(`Not a SHA-256 name: ${sha256}`);
    return `${settings.prefix}${sha256}`;
  };
  const has = async (sha256: string) => {
    const { sdk, client } = await s3();
    try {
      await client.send(new sdk.HeadObjectCommand({ Bucket: settings.bucket, Key: keyOf(sha256) }));
      return true;
    } catch (err) {
      if (missing(sdk, err)) return false;
      throw err;
    }
  };
  return {
    has,
    async put(sha256, bytes) {
      if (await has(sha256)) return;
      const { sdk, client } = await s3();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: settings.bucket,
          Key: keyOf(sha256),
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: 'application/octet-stream',
          ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
        }),
      );
    },
    async open(sha256): Promise<Readable | null> {
      const { sdk, client } = await s3();
      try {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket: settings.bucket, Key: keyOf(sha256) }));
        return object.Body as Readable;
      } catch (err) {
        if (missing(sdk, err)) return null;
        throw err;
      }
    },
  };
}
