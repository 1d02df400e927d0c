import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seal } from '../../../api/src/certification/seal.entity.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { callFrom } from '../accounts/accounts-fixtures.js';
import { INSTITUTION, awardedSeal, certificationScheme } from './fixtures.js';

let api: TestApi;
let institution: GraphQLClient;
let outsider: GraphQLClient;
let seal: Seal;
const folder = mkdtempSync(join(tmpdir(), 'consulta-certificate-'));

async function certificate(client: GraphQLClient | null, sealId: string, language?: string) {
  const res = await fetch(`${api.url}/exports/certification/seals/${sealId}/certificate.pdf${language ? `?language=${language}` : ''}`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The PDF's text as poppler reads it, on one line. */
function text(pdf: Buffer): string {
  const file = join(folder, `${Math.random()}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-']).toString('utf8').replace(/\s+/g, ' ');
}

beforeAll(async () => {
  api = await startTestApi();
  const scheme = await certificationScheme(api);
  seal = await api.db.orm.em.fork().findOneOrFail(Seal, { id: (await awardedSeal(api, scheme)).sealId }, { populate: ['organization'] });
  [institution, outsider] = await Promise.all([INSTITUTION, demo.member2].map((e) => api.as(e)));
});
afterAll(async () => {
  await api?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('a seal’s certificate', () => {
  it('is a PDF in the reader’s language with the institution, the area, the dates and the verification code', async () => {
    const res = await certificate(institution, seal.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="certificate-${seal.code}\\.pdf"`));
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const es = text(res.bytes);
    expect(es).toContain('Certificado de desempeño social');
    expect(es).toContain(seal.organization.getEntity().name);
    expect(es).toContain('Perú');
    expect(es).toContain('Área 0');
    expect(es).toContain(seal.code);
    expect(es).toContain('vigente');
    expect(es).toContain(`/certification/verify?code=${seal.code}`);
    const en = text((await certificate(institution, seal.id, 'en')).bytes);
    expect(en).toContain('Certificate of social performance');
    expect(en).toContain('Peru');
    const fr = text((await certificate(institution, seal.id, 'fr')).bytes);
    expect(fr).toContain('Certificat de performance sociale');
  });

  it('is offered only to those who may read the assessment; its code still verifies signed out', async () => {
    expect((await certificate(outsider, seal.id)).status).toBe(404);
    expect((await certificate(null, seal.id)).status).toBe(401);
    expect((await certificate(institution, seal.id, 'xx')).status).toBe(400);
    const QUERY = `{ certificationRegistry { seals { id certificatePath verificationCode } } }`;
    const mine = (await institution.data(QUERY)).certificationRegistry.flatMap((e: { seals: unknown[] }) => e.seals).find((s: { id: string }) => s.id === seal.id);
    expect(mine).toEqual({ id: seal.id, certificatePath: `/exports/certification/seals/${seal.id}/certificate.pdf`, verificationCode: seal.code });
    const theirs = (await outsider.data(QUERY)).certificationRegistry.flatMap((e: { seals: unknown[] }) => e.seals).find((s: { id: string }) => s.id === seal.id);
    expect(theirs).toEqual({ id: seal.id, certificatePath: null, verificationCode: null });
    expect(await api.client().data(`query($code: String!) { verifySeal(code: $code) { valid } }`, { code: seal.code.toLowerCase() })).toEqual({ verifySeal: { valid: true } });
  });

  it('limits code lookups per network, so codes cannot be guessed by the thousand', async () => {
    const limited = await startTestApi({ seed: 'none', env: { RATE_LIMIT_SEAL_VERIFICATION_IP: '3/60' } });
    try {
      const VERIFY = `query($code: String!) { verifySeal(code: $code) { valid } }`;
      for (const code of ['AAAAA-AAAAA', 'AAAAA-AAAAB', 'AAAAA-AAAAC']) {
        expect((await callFrom(limited, '10.60.0.1', VERIFY, { code })).json.data).toEqual({ verifySeal: { valid: false } });
      }
      const refused = await callFrom(limited, '10.60.0.1', VERIFY, { code: 'AAAAA-AAAAD' });
      expect(refused.json.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'RATE_LIMITED' });
      expect((await callFrom(limited, '10.61.0.1', VERIFY, { code: 'AAAAA-AAAAD' })).json.data).toEqual({ verifySeal: { valid: false } });
    } finally {
      await limited.stop();
    }
  });
});
