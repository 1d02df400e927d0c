import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An S3-compatible server in the test's process, enough for the file store: path-style
 * PUT, GET and HEAD of objects in one bucket. Like S3 it refuses a request whose Signature
 * Version 4 does not verify with the one key pair it knows, and an upload whose declared
 * SHA-256 (payload hash or `x-amz-checksum-sha256`) does not match its bytes.
 */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, Buffer>;
  /** Every request as `METHOD key`, oldest first. */
  requests: string[];
  stop(): Promise<void>;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature the request should carry, recomputed from what arrived (AWS Signature Version 4). */
function expectedSignature(req: IncomingMessage, url: URL, secret: string, credential: string[], signedHeaders: string[]): string {
  const [, date, region, service] = credential;
  const query = [...url.searchParams].map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join('&');
  const headers = signedHeaders.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders.join(';'), req.headers['x-amz-content-sha256']].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  return hmac(key, toSign).toString('hex');
}

export async function startTestS3(): Promise<TestS3> {
  const s3 = { bucket: 'consulta-test', accessKeyId: 'CONSULTATESTKEY', secretAccessKey: 'consulta-test-secret', objects: new Map<string, Buffer>(), requests: [] as string[] };
  const fail = (res: ServerResponse, status: number, code: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://s3');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    s3.requests.push(`${req.method} ${key}`);

    const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(String(req.headers.authorization ?? ''));
    const credential = auth?.[1].split('/') ?? [];
    if (!auth || credential[0] !== s3.accessKeyId) return fail(res, 403, 'InvalidAccessKeyId');
    if (expectedSignature(req, url, s3.secretAccessKey, credential, auth[2].split(';')) !== auth[3]) return fail(res, 403, 'SignatureDoesNotMatch');
    if (bucket !== s3.bucket) return fail(res, 404, 'NoSuchBucket');

    if (req.method === 'PUT') {
      const declared = req.headers['x-amz-content-sha256'];
      if (declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256(body)) return fail(res, 400, 'XAmzContentSHA256Mismatch');
      const checksum = req.headers['x-amz-checksum-sha256'];
      if (checksum && checksum !== createHash('sha256').update(body).digest('base64')) return fail(res, 400, 'BadDigest');
      s3.objects.set(key, body);
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
      return res.end();
    }
    const object = s3.objects.get(key);
    if (req.method === 'HEAD' || req.method === 'GET') {
      if (!object) return req.method === 'HEAD' ? (res.writeHead(404), res.end()) : fail(res, 404, 'NoSuchKey');
      res.writeHead(200, { 'content-length': object.length, 'content-type': 'application/octet-stream' });
      return res.end(req.method === 'GET' ? object : undefined);
    }
    fail(res, 405, 'MethodNotAllowed');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...s3,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
