/**
 * Export benchmark: a round with 100,000 comments (seeded pseudo-random, bulk SQL) in its own
 * database, the built API in a child process (`node dist/main.js`, as in production; build it
 * first: `npm run build -w api`), and the CSV, XLSX and JSON downloads timed one after the other through the HTTP
 * endpoint while the API process's resident memory and CPU time are sampled. Target: peak RSS
 * < 300 MB.
 *
 *   cd tests && npx tsx bench/export.bench.ts [comments]
 *
 * Run alone it prints a table and puts it at the top of bench/RESULTS.md; `npm run bench` runs it
 * and puts the table in its own report.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSession } from '../../api/src/auth/session.service.js';
import { Framework, FrameworkKind } from '../../api/src/frameworks/framework.entity.js';
import { Section } from '../../api/src/frameworks/section.entity.js';
import { IndicatorField } from '../../api/src/indicators/indicator-field.js';
import { IndicatorVersion, IndicatorVersionStatus, Indicator, IndicatorStatus } from '../../api/src/indicators/indicator.entity.js';
import { ConsultationRound } from '../../api/src/rounds/round.entity.js';
import { RoundVersion } from '../../api/src/rounds/round-version.entity.js';
import { Role, User } from '../../api/src/users/user.entity.js';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { keepAfterBulkLoad } from './generate.js';
import { rss, startApi, type Child } from './processes.js';
import { recordResults } from './results.js';

const TARGET_MB = 300;
const AREAS = 3;
const PER_AREA = 10;

interface Seeded {
  roundId: string;
  token: string;
}

/** The round: a small framework through the ORM, then comments, replies and dispositions in a few set-based INSERTs. */
export async function seedRound(db: TestDatabase, comments: number): Promise<Seeded> {
  const em = db.orm.em.fork();
  const facilitator = em.create(User, { email: 'bench@consulta.test', name: 'Facilitadora de prueba', roles: [Role.FACILITATOR] });
  const framework = em.create(Framework, { slug: 'bench', name: { es: 'Marco de certificación' }, kind: FrameworkKind.CERTIFICATION });
  const round = em.create(ConsultationRound, {
    framework,
    title: { es: 'Ronda de carga: 100.000 comentarios' },
    opensAt: new Date(Date.now() - 40 * 86400_000),
    closesAt: new Date(Date.now() - 86400_000),
    createdById: facilitator.id,
  });
  let position = 0;
  for (let a = 0; a < AREAS; a++) {
    const area = em.create(Section, { framework, code: ['GEN', 'POV', 'RUR'][a], title: { es: ['Género', 'Pobreza', 'Desarrollo rural'][a] }, position: a });
    for (let i = 0; i < PER_AREA; i++) {
      const indicator = em.create(Indicator, { framework, section: area, code: `${area.code}-${String(i + 1).padStart(2, '0')}`, position: i, status: IndicatorStatus.ACTIVE });
      const version = em.create(IndicatorVersion, {
        indicator,
        number: 1,
        status: IndicatorVersionStatus.PUBLISHED,
        author: facilitator,
        texts: { [IndicatorField.TITLE]: { es: `Indicador ${indicator.code}` }, [IndicatorField.STATEMENT]: { es: 'La institución desagrega su cartera por género y zona.' } },
      });
      em.create(RoundVersion, { round, indicatorVersion: version, indicator, position: position++ });
    }
  }
  const { token } = await createSession(em, facilitator, 24);
  await em.flush();

  // One statement per table, on one connection with the triggers off as in generate.ts (with them,
  // each disposition updated its comment, and each update moved the facet counts: over 20 minutes
  // for a million comments); random() follows the seed, so every run builds the same round.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const q = (text: string, params: unknown[] = []) => c.query(text, params);
  try {
    await q('begin');
    await q('set local session_replication_role = replica');
    await q('select setseed(0.2026)');
    await q(
      `insert into comment (id, round_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html, proposed_change, anchor,
                            author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, withdrawn_at, created_at)
       select c.id, $1, c.id, 'INDICATOR_VERSION', rv.indicator_version_id, rv.indicator_id, i.section_id,
              (array['GENERAL','TECHNICAL','EDITORIAL'])[1 + (c.r1 * 3)::int % 3],
              repeat('Propuesta de redacción: añadir la desagregación por género y zona rural (ação, ça, ñ). ', 1 + (c.r2 * 6)::int),
              '<p>…</p>',
              case when c.r3 < 0.4 then 'Texto propuesto con acentos: “participación económica de las mujeres”.' end,
              case when c.r3 < 0.3 then '{"field":"STATEMENT","language":"es","exact":"desagrega su cartera","prefix":"La institución ","suffix":" por género","start":15,"end":35}'::jsonb end,
              gen_random_uuid(), 'Persona ' || (1 + (c.r4 * 400)::int), null, 'Institución ' || (1 + (c.r4 * 60)::int), 'MFI',
              (array['PE','EC','BO','NI','HN','GT','SV','DO','MX','CO','HT'])[1 + (c.r5 * 11)::int % 11],
              case when c.r5 < 0.02 then now() - interval '2 days' end,
              now() - interval '39 days' + c.r6 * interval '37 days'
       from (select gen_random_uuid() as id, g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6, random() as rk
             from generate_series(1, $2) g) c
       join round_version rv on rv.round_id = $1 and rv.position = (c.rk * ${AREAS * PER_AREA})::int % ${AREAS * PER_AREA}
       join indicator i on i.id = rv.indicator_id`,
      [round.id, comments],
    );
    await q(
      `insert into comment (id, round_id, parent_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, body, body_html, author_id, author_name, official, created_at)
       select gen_random_uuid(), round_id, id, id, target_kind, indicator_version_id, indicator_id, section_id, 'Gracias, lo revisamos en el grupo.', '<p>…</p>', $1, 'Facilitadora de prueba', true, created_at + interval '1 day'
       from comment where round_id = $2 and parent_id is null and random() < 0.2`,
      [facilitator.id, round.id],
    );
    await q(
      `insert into disposition (id, comment_id, round_id, status, response, response_html, decided_by_id, decided_by_name, decided_at)
       select gen_random_uuid(), id, round_id, (array['ACCEPTED','PARTIALLY_ACCEPTED','REJECTED','NOTED'])[1 + (random() * 4)::int % 4],
              'Respuesta: se ajustará la redacción según la sugerencia.', '<p>…</p>', $1, 'Facilitadora de prueba', now()
       from comment where round_id = $2 and parent_id is null and withdrawn_at is null and random() < 0.7`,
      [facilitator.id, round.id],
    );
    await keepAfterBulkLoad(q);
    await q('commit');
    await q('analyze');
  } finally {
    await c.end();
  }
  return { roundId: round.id, token };
}

/** CPU time (user + system) a process has used, in seconds, from /proc: on a shared machine, wall time also counts the neighbours. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Measurement {
  format: string;
  seconds: number;
  cpuSeconds: number;
  megabytes: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

export async function measure(url: string, pid: number, seeded: Seeded, format: string): Promise<Measurement> {
  const before = rss(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(pid))), 25);
  const started = performance.now();
  const cpuBefore = cpuSeconds(pid);
  const res = await fetch(`${url}/exports/rounds/${seeded.roundId}?format=${format}`, { headers: { cookie: `consulta_session=${seeded.token}` } });
  if (res.status !== 200) throw new Error(`${format}: HTTP ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rss(pid));
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const cpu = Math.round((cpuSeconds(pid) - cpuBefore) * 10) / 10;
  return { format, seconds: Math.round(seconds * 100) / 100, cpuSeconds: cpu, megabytes: mb(bytes), rssBeforeMb: mb(before), peakRssMb: mb(peak) };
}

export async function exportBench(comments = 100_000): Promise<Measurement[]> {
  const db = await createTestDatabase();
  let api: Child | undefined;
  try {
    const t0 = performance.now();
    const seeded = await seedRound(db, comments);
    console.log(`seeded ${comments} comments in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    api = await startApi(db.url);
    const pid = api.process.pid!;
    const results: Measurement[] = [];
    for (const format of ['csv', 'xlsx', 'json']) results.push(await measure(api.url, pid, seeded, format));
    return results;
  } finally {
    await api?.stop();
    await db.drop();
  }
}

/** The measurements as a Markdown table. */
export function exportTable(results: Measurement[]): string[] {
  return [
    '| format | time (s) | API CPU (s) | file (MB) | API RSS before (MB) | API peak RSS (MB) | under 300 MB |',
    '|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.format} | ${r.seconds} | ${r.cpuSeconds} | ${r.megabytes} | ${r.rssBeforeMb} | ${r.peakRssMb} | ${r.peakRssMb < TARGET_MB ? 'yes' : 'NO'} |`),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const comments = Number(process.argv[2] ?? 100_000);
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const results = await exportBench(comments);
  const report = [
    `## ${new Date().toISOString()} — export of a round with ${comments.toLocaleString('en')} comments`,
    '',
    `Built API (\`node dist/main.js\`), one process for the three downloads in turn; load average at start ${load}.`,
    '',
    ...exportTable(results),
    '',
  ].join('\n');
  console.log(report);
  recordResults(report);
  if (results.some((r) => r.peakRssMb >= TARGET_MB)) process.exitCode = 1;
}
