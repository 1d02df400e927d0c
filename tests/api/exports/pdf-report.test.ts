import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { openSync } from 'fontkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FONTS } from '../../../api/src/exports/pdf-fonts.js';
import { demo, startTestApi, type TestApi } from '../../support/api.js';
import type { GraphQLClient } from '../../support/client.js';
import { ADD_COMMENT, createFramework, openRound, type FrameworkFixture } from '../rounds/fixtures.js';
import { download } from './fixtures.js';

/**
 * The consolidated PDF, read as its readers read it: the text pdftotext extracts shows the comments'
 * Markdown rendered, with no raw markers, and nothing is drawn with a glyph the embedded font lacks.
 * pdfkit draws such a character as glyph 0 (.notdef), an empty box that pdftotext silently skips,
 * so the page content itself is read for it.
 */
const MARKDOWN_BODY = [
  'Propongo **desagregar por sexo** y _por zona_:',
  '',
  '- personas en zona rural',
  '- personas en zona urbana',
  '',
  '1. primero el enunciado',
  '2. después la medición',
  '',
  '> el texto actual no distingue',
  '',
  'Ver [la guía](https://example.org/guia), `PAR30` y ~~lo anterior~~.',
].join('\n');
const PROPOSED = 'nuevas prestatarias mujeres, por zona';
const RESPONSE = '**Aceptado**: se añadirá la *zona* en la próxima versión.';
/** What people paste: an emoji, a decomposed ñ, a narrow no-break space, a direction mark. */
const PASTED = 'Cooperativa 👩🏽‍🌾 de Espan\u0303a: 1\u202F000 clientas\u200E.';

const PROPOSED_LABEL = { es: 'Cambio propuesto', en: 'Proposed change', pt: 'Alteração proposta', fr: 'Modification proposée' };

let api: TestApi;
let fw: FrameworkFixture;
let facilitator: GraphQLClient;
let roundId: string;
let dir: string;
const covered = new Set<number>();

beforeAll(async () => {
  api = await startTestApi();
  dir = mkdtempSync(join(tmpdir(), 'consulta-pdf-'));
  fw = await createFramework(api.db.orm, { slug: 'pdf-markdown', areas: 1, perArea: 1 });
  facilitator = await api.as(demo.facilitator);
  const stakeholder = await api.as(demo.stakeholder);
  roundId = (await openRound(facilitator, fw)).id;
  const add = async (body: string, proposedChange: string | null = null) =>
    (await stakeholder.data(ADD_COMMENT, { input: { roundId, targetKind: 'INDICATOR_VERSION', targetId: fw.versionIds[0], type: 'TECHNICAL', body, proposedChange } })).addComment.id as string;
  const commented = await add(MARKDOWN_BODY, PROPOSED);
  await add(PASTED);
  await facilitator.data(`mutation($input: DispositionInput!) { setDispositions(input: $input) { status } }`, { input: { commentIds: [commented], status: 'ACCEPTED', response: RESPONSE } });
  for (const file of Object.values(REPORT_FONTS.Roboto)) {
    const font = openSync(file);
    if ('characterSet' in font) for (const cp of font.characterSet) covered.add(cp);
  }
  expect(covered.size).toBeGreaterThan(500);
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The glyph ids each text-showing operator of the PDF's page content draws (fonts are CID, Identity-H: four hex digits a glyph). */
function glyphIdsDrawn(pdf: Buffer): number[] {
  const raw = pdf.toString('latin1');
  const ids: number[] = [];
  for (const m of raw.matchAll(/<<((?:(?!>>)[\s\S])*)>>\s*stream\r?\n/g)) {
    const dictionary = m[1];
    // Page content only: font files carry /Length1, images and others a /Subtype.
    if (/\/Length1|\/Subtype/.test(dictionary)) continue;
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const start = m.index! + m[0].length;
    const bytes = pdf.subarray(start, start + length);
    const content = (/\/FlateDecode/.test(dictionary) ? inflateSync(bytes) : bytes).toString('latin1');
    for (const shown of content.matchAll(/\[([^\]]*)\]\s*TJ|(<[0-9a-fA-F]*>)\s*Tj/g)) {
      for (const [, hex] of (shown[1] ?? shown[2]).matchAll(/<([0-9a-fA-F]*)>/g)) {
        for (let i = 0; i < hex.length; i += 4) ids.push(Number.parseInt(hex.slice(i, i + 4), 16));
      }
    }
  }
  return ids;
}

async function report(language: keyof typeof PROPOSED_LABEL) {
  const res = await download(api, facilitator, roundId, { format: 'pdf', language });
  expect(res.status).toBe(200);
  const file = join(dir, `report-${language}.pdf`);
  writeFileSync(file, res.body);
  // In reading order, block by block: a table's columns do not interleave.
  return { pdf: res.body, file, text: execFileSync('pdftotext', [file, '-']).toString('utf8') };
}

describe('the consolidated PDF report, read as its readers will', () => {
  it.each(['es', 'en', 'pt', 'fr'] as const)('in %s: every character drawn is one the embedded font holds', async (language) => {
    const { pdf, file, text } = await report(language);
    const fonts = execFileSync('pdffonts', [file]).toString('utf8').split('\n').slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThan(0);
    // The only fonts are Roboto, embedded as CID fonts with Identity-H: what glyphIdsDrawn reads.
    for (const line of fonts) expect(line).toMatch(/^[A-Z]{6}\+Roboto-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    const ids = glyphIdsDrawn(pdf);
    expect(ids.length).toBeGreaterThan(1000);
    expect(ids.filter((id) => id === 0), 'glyphs drawn as .notdef, an empty box').toEqual([]);
    const lacking = [...new Set([...text].filter((ch) => !/\s/.test(ch) && !covered.has(ch.codePointAt(0)!)))];
    expect(lacking).toEqual([]);
  });

  it.each(['es', 'en', 'pt', 'fr'] as const)('in %s: comments and responses read rendered, with no raw Markdown', async (language) => {
    const { text } = await report(language);
    const flat = text.replace(/\s+/g, ' ');
    for (const words of ['Propongo desagregar por sexo y por zona:', 'personas en zona rural', 'personas en zona urbana', '1. primero el enunciado', '2. después la medición', 'el texto actual no distingue', 'Aceptado: se añadirá la zona en la próxima versión.']) {
      expect(flat).toContain(words);
    }
    // The address may wrap in its narrow column.
    expect(text.replace(/\s+/g, '')).toContain('Verlaguía(https://example.org/guia),PAR30yloanterior.');
    expect(flat).toContain(`${PROPOSED_LABEL[language]}: ${PROPOSED}`);
    for (const marker of ['**', '_por', 'zona_', '](', '`', '~~', '→']) expect(text, marker).not.toContain(marker);
    expect(text.split('\n').filter((line) => /^\s*([-*+>]|#{1,6}) /.test(line))).toEqual([]);
    // What the font cannot draw prints as �; the rest of what was pasted reads as written.
    expect(flat).toContain('Cooperativa � de España: 1 000 clientas.');
  });
});
