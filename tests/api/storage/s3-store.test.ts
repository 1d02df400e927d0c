import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../api/src/config.js';
import { SchemeIndicator, type Scheme } from '../../../api/src/certification/scheme.entity.js';
import { s3Store, type S3StoreSettings } from '../../../api/src/storage/s3-store.js';
import { startTestApi, type TestApi } from '../../support/api.js';
import { startTestS3, type TestS3 } from '../../support/s3.js';
import { INSTITUTION, assessment, certificationScheme } from '../certification/fixtures.js';
import { PDF, download, upload } from '../certification/evidence-files.js';

let s3: TestS3;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const settings = (over: Partial<S3StoreSettings> = {}): S3StoreSettings => ({
  endpoint: s3.endpoint,
  region: 'us-east-1',
  bucket: s3.bucket,
  prefix: 'files/',
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
  forcePathStyle: true,
  ...over,
});

beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.stop();
});

describe('the S3-compatible file store', () => {
  it('keeps a file at <prefix><sha256>, puts the same bytes once, and reads them back', async () => {
    const store = s3Store(settings());
    const bytes = Buffer.from('Política de género, aprobada por el directorio en 2025.');
    const name = sha(bytes);
    expect(await store.has(name)).toBe(false);
    expect(await store.open(name)).toBeNull();

    await store.put(name, bytes);
    await store.put(name, bytes);
    expect(s3.objects.get(`files/${name}`)).toEqual(bytes);
    expect(s3.requests.filter((r) => r === `PUT files/${name}`)).toHaveLength(1);
    expect(await store.has(name)).toBe(true);
    expect(await text((await store.open(name))!)).toBe(bytes.toString());
  });

  it('fails loudly on a wrong secret or another bucket, and never takes a name that is not a hash', async () => {
    const bytes = Buffer.from('acta');
    await expect(s3Store(settings({ secretAccessKey: 'wrong' })).put(sha(bytes), bytes)).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    await expect(s3Store(settings({ bucket: 'someone-else' })).put(sha(bytes), bytes)).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(s3.objects.has(`files/${sha(bytes)}`)).toBe(false);
    await expect(s3Store(settings()).put('../../etc/passwd', bytes)).rejects.toThrow(/Not a SHA-256 name/);
  });

  it('is refused at start without its bucket and keys', () => {
    expect(() => loadConfig({ FILE_STORE: 's3', S3_BUCKET: 'bucket' })).toThrow(ConfigError);
    expect(() => loadConfig({ FILE_STORE: 's3', S3_BUCKET: 'bucket' })).toThrow(/S3_ACCESS_KEY_ID/);
    expect(loadConfig({ FILE_STORE: 's3', S3_BUCKET: 'bucket', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' }).FILE_STORE).toBe('s3');
  });
});

describe('evidence through the API on FILE_STORE=s3', () => {
  let api: TestApi;
  let scheme: Scheme;
  const disk = mkdtempSync(join(tmpdir(), 'consulta-no-files-'));
  beforeAll(async () => {
    api = await startTestApi({
      env: { FILE_STORE: 's3', FILE_STORE_DIR: disk, S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_PREFIX: 'evidence/', S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey },
    });
    scheme = await certificationScheme(api);
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(disk, { recursive: true, force: true });
  });

  it('uploads an institution’s PDF to the bucket, not to disk, and serves it back to the institution only', async () => {
    const a = await assessment(api, scheme, { stage: 'opened' });
    const schemeIndicatorId = (await api.db.orm.em.fork().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code: 'A0-02' })).id;
    const institution = await api.as(INSTITUTION);
    const res = await upload(api, institution, PDF, { assessmentId: a.id, schemeIndicatorId, fileName: 'politica.pdf' });
    expect(res.status).toBe(201);
    expect(s3.objects.get(`evidence/${sha(PDF)}`)).toEqual(PDF);
    expect(readdirSync(disk)).toEqual([]);

    const read = await institution.data(`query($id: ID!) { certificationAssessment(id: $id) { evidenceFiles { downloadPath } } }`, { id: a.id });
    const path = read.certificationAssessment.evidenceFiles[0].downloadPath;
    const got = await download(api, institution, path);
    expect(got.status).toBe(200);
    expect(got.bytes).toEqual(PDF);
    expect((await download(api, null, path)).status).not.toBe(200);
  });
});
