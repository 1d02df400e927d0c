import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/api.js';
import { download } from './evidence-files.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.stop());

const ASSESSMENTS = `{ certificationAssessments { id status organization { name }
  evidenceRequests { message respondedAt schemeIndicator { code } }
  evidenceFiles { fileName contentType downloadPath schemeIndicator { code } }
  pilotFlags { kind flaggedAs note schemeIndicator { code } } } }`;

describe('the certification demo', () => {
  it('has Horizonte Andino under review with an open evidence request, a PDF among its evidence, and two pilot flags', async () => {
    const horizonte = await api.as('horizonte@consulta.demo');
    const { certificationAssessments } = await horizonte.data(ASSESSMENTS);
    expect(certificationAssessments).toHaveLength(1);
    const [assessment] = certificationAssessments;
    expect(assessment.status).toBe('EVIDENCE_REQUESTED');
    expect(assessment.evidenceRequests).toEqual([{ message: expect.stringContaining('registro de quejas'), respondedAt: null, schemeIndicator: { code: '4C.3' } }]);
    expect(assessment.evidenceFiles).toMatchObject([{ fileName: 'manual-de-credito-cap3.pdf', contentType: 'application/pdf', schemeIndicator: { code: '4A.1' } }]);
    expect(assessment.pilotFlags).toMatchObject([
      { kind: 'UNMEASURABLE', flaggedAs: 'INSTITUTION', schemeIndicator: { code: '4B.3' } },
      { kind: 'TOO_COSTLY', flaggedAs: 'REVIEWER', schemeIndicator: { code: '4C.3' } },
    ]);

    const file = await download(api, horizonte, assessment.evidenceFiles[0].downloadPath);
    expect(file.status).toBe(200);
    expect(file.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
