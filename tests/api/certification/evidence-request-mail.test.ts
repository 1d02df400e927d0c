import { beforeAll, describe, expect, it } from 'vitest';
import { SchemeIndicator, type Scheme } from '../../../api/src/certification/scheme.entity.js';
import { messageIdFor } from '../../../api/src/mail/mail.service.js';
import { Locale, User } from '../../../api/src/users/user.entity.js';
import type { TestApi } from '../../support/api.js';
import { settled } from '../../support/jobs.js';
import { withApiAndSmtp, type TestSmtp } from '../../support/smtp.js';
import { INSTITUTION, REVIEWER, asReviewer, assessment, certificationScheme } from './fixtures.js';

const REQUEST = `mutation($input: RequestEvidenceInput!) { requestEvidence(input: $input) { id } }`;

let smtp: TestSmtp;
let api: TestApi;
let scheme: Scheme;
withApiAndSmtp((started) => ({ api, smtp } = started));
beforeAll(async () => {
  scheme = await certificationScheme(api);
});

const em = () => api.db.orm.em.fork();

describe('an evidence request tells the institution', () => {
  it('mails each of the institution’s people in their own language, once per request, with a link to the assessment', async () => {
    const a = await assessment(api, scheme);
    await asReviewer(api, a.id, REVIEWER);
    const institution = await em().findOneOrFail(User, { email: INSTITUTION }, { populate: ['organization'] });
    // A second person of the institution reads Consulta in French.
    const colleague = em().create(User, { email: `colega.${a.id.slice(0, 8)}@example.org`, name: 'Claire Martin', organization: institution.organization!.id, language: Locale.FR, roles: institution.roles });
    await em().persistAndFlush(colleague);
    const people = await em().find(User, { organization: institution.organization!.id, active: true });
    expect(people.length).toBeGreaterThanOrEqual(2);

    const indicator = await em().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code: 'A0-02' });
    const reviewer = await api.as(REVIEWER);
    const { requestEvidence } = await reviewer.data(REQUEST, { input: { assessmentId: a.id, schemeIndicatorId: indicator.id, message: 'El acta del directorio que aprueba la política.' } });

    const spanish = await smtp.waitFor(INSTITUTION, (m) => m.subject?.startsWith('Se piden más pruebas') ?? false);
    expect(spanish.text).toContain('A0-02');
    expect(spanish.text).toContain('El acta del directorio que aprueba la política.');
    expect(spanish.text).toContain(`http://localhost:3000/certification/assessments/${a.id}`);
    expect(spanish.messageId).toBe(messageIdFor(`evidence-requested:${requestEvidence.id}:${institution.id}`, 'http://localhost:3000'));
    const french = await smtp.waitFor(colleague.email);
    expect(french.subject).toMatch(/^Des preuves supplémentaires sont demandées/);
    expect(french.text).toContain('Bonjour Claire Martin');

    await settled(api.db.orm);
    const rows = await em().execute<{ to_address: string; language: string; status: string }[]>(`select to_address, language, status from mail_message where key like ? order by to_address`, [`evidence-requested:${requestEvidence.id}:%`]);
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.find((r) => r.to_address === colleague.email)?.language).toBe('fr');
  });

  it('mails nobody when the request is refused', async () => {
    const a = await assessment(api, scheme);
    const indicator = await em().findOneOrFail(SchemeIndicator, { area: { scheme: scheme.id }, code: 'A0-02' });
    const mails = async () => Number((await em().execute<{ count: string }[]>(`select count(*) from mail_message where kind = 'evidenceRequested'`))[0].count);
    const before = await mails();
    // Not assigned to this assessment: refused, and the transaction that would have queued the mail rolls back.
    const outsider = await api.as(REVIEWER);
    expect(await outsider.error(REQUEST, { input: { assessmentId: a.id, schemeIndicatorId: indicator.id, message: 'Más pruebas' } })).toMatchObject({ code: expect.stringMatching(/FORBIDDEN|NOT_FOUND/) });
    await settled(api.db.orm);
    expect(await mails()).toBe(before);
  });
});
