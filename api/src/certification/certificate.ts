import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import { notFound } from '../errors.js';
import { drawable } from '../exports/pdf-fonts.js';
import { pdfmake } from '../exports/pdf.export.js';
import { Framework } from '../frameworks/framework.entity.js';
import { Section } from '../frameworks/section.entity.js';
import { localize } from '../i18n/localized-text.js';
import { message } from '../i18n/messages.js';
import { Organization } from '../organizations/organization.entity.js';
import { Release } from '../releases/release.entity.js';
import { Locale } from '../users/user.entity.js';
import { canRead, partyOf } from './assessment-access.js';
import { Assessment, AssessmentArea } from './assessment.entity.js';
import { sealStatus, today } from './rules.js';
import { Scheme, SchemeArea } from './scheme.entity.js';
import { Seal } from './seal.entity.js';

export interface Certificate {
  seal: Seal;
  institution: Organization;
  area: string;
  framework: string;
  release: string;
  /** The public page that checks the code, the code filled in. */
  verifyUrl: string;
  language: Locale;
}

/** The certificate of a seal, for whoever may read the assessment behind it (NOT_FOUND otherwise: the code is printed on it). */
export async function certificateOf(em: EntityManager, viewer: Viewer, sealId: string, language: Locale, publicUrl: string): Promise<Certificate> {
  const seal = await em.findOne(Seal, { id: sealId });
  const area = seal && (await em.findOne(AssessmentArea, { id: seal.assessmentArea.id }));
  const assessment = area && (await em.findOne(Assessment, { id: area.assessment.id }));
  if (!seal || !assessment || !canRead(await partyOf(em, viewer, assessment))) throw notFound('Seal', sealId);
  const schemeArea = await em.findOneOrFail(SchemeArea, { id: seal.schemeArea.id });
  const [institution, section, scheme] = await Promise.all([
    em.findOneOrFail(Organization, { id: seal.organization.id }),
    em.findOneOrFail(Section, { id: schemeArea.section.id }),
    em.findOneOrFail(Scheme, { id: schemeArea.scheme.id }),
  ]);
  const release = await em.findOneOrFail(Release, { id: scheme.release.id });
  const framework = await em.findOneOrFail(Framework, { id: release.framework.id });
  const verifyUrl = new URL(`/certification/verify?code=${encodeURIComponent(seal.code)}`, publicUrl).toString();
  return {
    seal,
    institution,
    area: localize(section.title, language, framework.sourceLanguage)?.value ?? schemeArea.code,
    framework: localize(framework.name, language, framework.sourceLanguage)?.value ?? framework.slug,
    release: release.number,
    verifyUrl,
    language,
  };
}

const day = (iso: string, language: Locale) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

/**
 * The certificate as a one-page PDF in `language`: the institution, the area, the standard and its
 * release, the dates, the seal's standing today, and the verification code with the address of the
 * public page that checks it (signed out).
 */
export async function certificatePdf(c: Certificate): Promise<Readable> {
  const l = (key: string) => message(c.language, `certificationFiles.certificate.${key}`);
  const status = sealStatus(c.seal, today());
  const content = [
    { text: l('title'), style: 'title' },
    { text: l('awardedTo'), style: 'muted' },
    { text: c.institution.name, style: 'institution' },
    { text: new Intl.DisplayNames([c.language], { type: 'region' }).of(c.institution.country) ?? c.institution.country, style: 'muted', margin: [0, 0, 0, 18] },
    { text: l('area'), style: 'muted' },
    { text: c.area, style: 'area' },
    { text: `${l('standard')}: ${c.framework} — ${c.release}`, margin: [0, 12, 0, 18] },
    {
      table: {
        widths: ['*', '*', '*'],
        body: [
          [l('issuedOn'), l('surveillanceOn'), l('validUntil')].map((text) => ({ text, style: 'muted' })),
          [day(c.seal.issuedOn, c.language), day(c.seal.surveillanceOn, c.language), day(c.seal.validUntil, c.language)],
        ],
      },
      layout: 'noBorders',
    },
    { text: `${l('statusToday')}: ${message(c.language, `certificationFiles.sealStatus.${status}`)}`, margin: [0, 18, 0, 18], bold: true },
    { text: l('code'), style: 'muted' },
    { text: c.seal.code, style: 'code' },
    { text: `${l('verifyAt')} ${c.verifyUrl}`, style: 'muted', margin: [0, 6, 0, 0] },
  ];
  const document = {
    info: { title: `${l('title')} — ${c.institution.name} — ${c.area}`, creator: 'Consulta' },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [64, 56, 64, 56],
    defaultStyle: { font: 'Roboto', fontSize: 11, alignment: 'center' },
    styles: {
      title: { fontSize: 26, bold: true, margin: [0, 10, 0, 22] },
      institution: { fontSize: 22, bold: true, margin: [0, 4, 0, 2] },
      area: { fontSize: 18, bold: true, margin: [0, 4, 0, 0] },
      code: { fontSize: 20, bold: true, characterSpacing: 2 },
      muted: { color: '#555555' },
    },
    content: drawable(content),
  };
  const stream = await pdfmake().createPdf(document).getStream();
  stream.end();
  return stream;
}
