/**
 * The benchmark's consultation: a dedicated database on the local server, migrated with the real
 * migrations, filled by a handful of set-based INSERT … SELECT generate_series statements. Ids are
 * md5 of a name and every random choice follows `setseed`, so a run at a given scale always builds
 * the same data.
 */
import 'reflect-metadata';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

export interface Shape {
  frameworks: number;
  indicatorsPerFramework: number;
  versions: number;
  organizations: number;
  users: number;
  /** Users with the MEMBER role (voters); the rest are stakeholders. */
  members: number;
  comments: number;
  replies: number;
  ballots: number;
  votersPerBallot: number;
}

/**
 * The global consultation; `scale` shrinks the people and comments (not below what the
 * scenarios need), or multiplies them (`BENCH_SCALE=10`: 2,000,000 comments, 50,000 people in 8,000
 * organizations). A framework keeps its 200 indicators past scale 1: a larger consultation has more
 * people and comments, not a longer standard.
 */
export function shape(scale: number, comments?: number): Shape {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  const c = comments ?? n(200_000, 10);
  const indicatorsPerFramework = Math.min(200, n(200, 40));
  return {
    frameworks: 3,
    indicatorsPerFramework,
    versions: 3,
    organizations: n(800, 20),
    users: n(5_000, 400),
    members: n(1_000, 160),
    comments: c,
    replies: Math.floor(c / 2),
    // Each ballot asks about two of framework 2's indicators, so there are at most half as many ballots as indicators.
    ballots: Math.min(n(50, 5), Math.floor(indicatorsPerFramework / 2)),
    votersPerBallot: 150,
  };
}

export interface Generated {
  db: TestDatabase;
  shape: Shape;
  seconds: number;
  roundId: string;
  frameworkSlug: string;
  /** The round page's indicator with the most comments, and one of its version ids. */
  indicatorId: string;
  indicatorVersionId: string;
  /** A stakeholder (no comments of their own) reading the pages. */
  readerToken: string;
  readerId: string;
  facilitatorToken: string;
  /** Stakeholders who add comments, each with a session. */
  commenterTokens: string[];
  /** The first ballot's question and its voters' sessions. */
  questionId: string;
  voterTokens: string[];
}

/**
 * What the triggers on `comment` and `disposition` keep, set once from what a bulk load inserted
 * with them off (`session_replication_role = replica`): each comment's disposition status, and the
 * maintained facet counts of rounds that had none.
 */
export async function keepAfterBulkLoad(q: (sql: string) => Promise<unknown>) {
  await q('update comment c set disposition_status = d.status from disposition d where d.comment_id = c.id');
  const facets = 'round_id, type, disposition_status, author_organization_id, author_organization_name, author_country, section_id';
  await q(
    `insert into comment_facet_count (${facets}, withdrawn, n)
     select ${facets}, withdrawn_at is not null, count(*) from comment where parent_id is null group by ${facets}, withdrawn_at is not null`,
  );
  const summary = 'round_id, type, disposition_status, author_country, section_id, withdrawn';
  await q(`insert into comment_facet_summary (${summary}, n) select ${summary}, sum(n) from comment_facet_count group by ${summary}`);
  const organization = 'round_id, type, disposition_status, author_organization_id, author_organization_name, withdrawn';
  await q(`insert into comment_facet_organization (${organization}, n) select ${organization}, sum(n) from comment_facet_count group by ${organization}`);
}

/** A deterministic UUID (version 4 layout, which the API's validators expect) named by kind and number. */
export const id = (kind: string, n: number | string) => `overlay(overlay(md5('${kind}' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;
const COUNTRIES = `array['PE','EC','BO','NI','HN','GT','SV','DO','MX','CO','HT']`;
const PARAGRAPH =
  'La institución registra y desagrega su cartera por género y por zona rural, y reporta al directorio la proporción de mujeres entre los nuevos prestatarios, con la retención y la cartera en riesgo de las clientas.';

export async function generate(s: Shape, seed = 0.2026): Promise<Generated> {
  const db = await createTestDatabase();
  const started = performance.now();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const q = (sql: string, params: unknown[] = []) => c.query(sql, params);
  try {
    await q('begin');
    await q('select setseed($1::float8)', [seed]);
    const perFw = s.indicatorsPerFramework;

    await q(
      `insert into organization (id, name, acronym, kind, country, created_at)
       select ${id('org', 'g')}, 'Institución de microfinanzas ' || g, null,
              (array['NETWORK','MFI','MFI','MFI','MFI','DONOR','RATING_AGENCY','REGULATOR'])[1 + floor(random() * 8)::int],
              (${COUNTRIES})[1 + floor(random() * 11)::int], now() - interval '400 days'
       from generate_series(1, $1::int) g`,
      [s.organizations],
    );
    await q(
      `insert into app_user (id, name, email, password_hash, organization_id, roles, language, active, created_at)
       select ${id('user', 'g')}, 'Persona ' || g, 'persona' || g || '@bench.test', null,
              case when g = 0 then null else ${id('org', '1 + g % $2::int')} end,
              case when g = 0 then '{FACILITATOR}' when g <= $3::int then '{MEMBER}' else '{STAKEHOLDER}' end::text[],
              (array['es','es','es','en','pt','fr'])[1 + floor(random() * 6)::int], true, now() - interval '300 days'
       from generate_series(0, $1::int) g`,
      [s.users, s.organizations, s.members],
    );
    const facilitator = id('user', 0);

    await q(
      `insert into framework (id, slug, name, description, source_language, kind, status, created_at)
       select ${id('fw', 'f')}, 'bench-' || f, jsonb_build_object('es', 'Marco de prueba ' || f, 'en', 'Bench framework ' || f),
              '{"es":"Marco generado para medir."}', 'es', case when f = 3 then 'PRACTICES' else 'CERTIFICATION' end, 'IN_CONSULTATION', now() - interval '200 days'
       from generate_series(1, $1::int) f`,
      [s.frameworks],
    );
    await q(
      `insert into section (id, framework_id, parent_id, code, title, position)
       select ${id('sec', "f || '-' || a")}, ${id('fw', 'f')}, null, (array['GEN','POV','RUR','SPM'])[a],
              jsonb_build_object('es', (array['Género','Pobreza','Desarrollo rural','Gestión del desempeño social'])[a]), a - 1
       from generate_series(1, $1::int) f, generate_series(1, 4) a`,
      [s.frameworks],
    );
    await q(
      `insert into indicator (id, framework_id, section_id, code, position, status, current_version_id, created_at)
       select ${id('ind', "f || '-' || i")}, ${id('fw', 'f')}, ${id('sec', "f || '-' || (1 + (i - 1) % 4)")},
              (array['GEN','POV','RUR','SPM'])[1 + (i - 1) % 4] || '-' || lpad(i::text, 3, '0'), (i - 1) / 4, 'ACTIVE', null, now() - interval '200 days'
       from generate_series(1, $1::int) f, generate_series(1, $2::int) i`,
      [s.frameworks, perFw],
    );
    // Version 3 of framework 2's first indicators is a proposed revision (the ballots' questions); elsewhere all are published.
    await q(
      `insert into indicator_version (id, indicator_id, number, parent_id, texts, status, author_id, change_summary, created_at)
       select ${id('ver', "f || '-' || i || '-' || v")}, ${id('ind', "f || '-' || i")}, v,
              case when v > 1 then ${id('ver', "f || '-' || i || '-' || (v - 1)")} end,
              jsonb_build_object(
                'TITLE', jsonb_build_object('es', (array['Proporción de mujeres entre nuevos prestatarios','Retención de clientas','Cartera rural','Profundidad de alcance','Uso de herramienta de evaluación de pobreza'])[1 + floor(random() * 5)::int] || ' ' || i || ' v' || v,
                                            'en', 'Indicator ' || i || ' version ' || v),
                'STATEMENT', jsonb_build_object('es', $3::text, 'en', 'The institution breaks down its portfolio by gender and rural area.'),
                'RATIONALE', jsonb_build_object('es', repeat('Las redes regionales necesitan datos comparables para certificar el desempeño social. ', 1 + floor(random() * 4)::int)),
                'MEASUREMENT', jsonb_build_object('es', 'Número de prestatarias nuevas dividido por el total de prestatarios nuevos del período, en porcentaje.'),
                'VERIFICATION', jsonb_build_object('es', 'Reporte del sistema de información gerencial firmado por la gerencia.'),
                'DATA_SOURCE', jsonb_build_object('es', 'Sistema de cartera.'),
                'LEVELS', jsonb_build_object('es', 'Cumple: 50 % o más. Parcialmente: entre 30 % y 50 %. No cumple: menos de 30 %.')),
              case when f = 2 and v = 3 and i <= $4::int then 'PROPOSED' else 'PUBLISHED' end, ${facilitator},
              case when v > 1 then 'Ajustes tras la ronda ' || (v - 1) end, now() - interval '200 days' + v * interval '30 days'
       from generate_series(1, $1::int) f, generate_series(1, $2::int) i, generate_series(1, $5::int) v`,
      [s.frameworks, perFw, PARAGRAPH, s.ballots * 2, s.versions],
    );
    await q(
      `update indicator i set current_version_id = ${id('ver', "f || '-' || n || '-' || case when f = 2 and n <= $3::int then $4::int - 1 else $4::int end")}
       from generate_series(1, $1::int) f, generate_series(1, $2::int) n where i.id = ${id('ind', "f || '-' || n")}`,
      [s.frameworks, perFw, s.ballots * 2, s.versions],
    );

    // One open round per framework, each pinning the current versions; the comments all go to round 1.
    await q(
      `insert into consultation_round (id, framework_id, title, instructions, opens_at, closes_at, audience_all, audience_organization_ids, audience_countries,
                                       ratings_enabled, created_by_id, created_at)
       select ${id('round', 'f')}, ${id('fw', 'f')}, jsonb_build_object('es', 'Consulta regional ' || f), '{"es":"Comente cada indicador."}',
              now() - interval '30 days', now() + interval '60 days', true, '{}', '{}', f = 3, ${facilitator}, now() - interval '31 days'
       from generate_series(1, $1::int) f`,
      [s.frameworks],
    );
    await q(
      `insert into round_version (id, round_id, indicator_version_id, indicator_id, position)
       select ${id('rv', "f || '-' || n")}, ${id('round', 'f')}, i.current_version_id, i.id, n - 1
       from generate_series(1, $1::int) f cross join generate_series(1, $2::int) n join indicator i on i.id = ${id('ind', "f || '-' || n")}`,
      [s.frameworks, perFw],
    );

    // Comments, replies and dispositions go in with triggers off: no foreign-key check per row, no
    // comment update per disposition, no transition tables of millions of rows for the facet counts
    // (at 2,000,000 comments that trigger spilled gigabytes of whole rows). What the triggers keep is
    // set once after the inserts, from what was inserted, like the counters below.
    await q('set local session_replication_role = replica');
    // Top-level comments: indicator k gets a share falling with k (a few indicators draw most of the comments).
    await q(
      `insert into comment (id, round_id, parent_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html, proposed_change, anchor,
                            author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, official, created_at)
       select ${id('c', 'x.g')}, ${id('round', 1)}, null, ${id('c', 'x.g')}, 'INDICATOR_VERSION', i.current_version_id, i.id, i.section_id,
              (array['GENERAL','TECHNICAL','EDITORIAL'])[1 + floor(x.r1 * 3)::int],
              x.body, '<p>' || x.body || '</p>',
              case when x.r3 < 0.3 then 'Texto propuesto: «participación económica de las mujeres rurales».' end,
              case when x.r3 < 0.2 then '{"field":"STATEMENT","language":"es","exact":"desagrega su cartera","prefix":"La institución registra y ","suffix":" por género","start":26,"end":46}'::jsonb end,
              ${id('user', 'x.u')}, 'Persona ' || x.u, o.id, o.name, o.kind, o.country, false,
              now() - interval '30 days' + x.g * (interval '29 days' / $1::int)
       from (select g, random() as r1, random() as r3, 1 + floor(power(random(), 2) * $2::int)::int as k, $3::int + 1 + floor(random() * ($4::int - $3::int))::int as u,
                    repeat('Sugiero precisar el período de medición y la fuente de los datos de género y zona rural. ', 1 + floor(random() * 4)::int) as body
             from generate_series(1, $1::int) g) x
       join indicator i on i.id = ${id('ind', "'1-' || x.k")}
       join organization o on o.id = ${id('org', '1 + x.u % $5::int')}`,
      [s.comments, perFw, s.members, s.users, s.organizations],
    );
    // Replies under random threads, a fifth of them the facilitator's official answer.
    await q(
      `insert into comment (id, round_id, parent_id, thread_id, target_kind, indicator_version_id, indicator_id, section_id, type, body, body_html,
                            author_id, author_name, author_organization_id, author_organization_name, author_organization_kind, author_country, official, created_at)
       select ${id('r', 'x.g')}, p.round_id, p.id, p.id, p.target_kind, p.indicator_version_id, p.indicator_id, p.section_id, null,
              'De acuerdo; en nuestra red medimos lo mismo cada trimestre.', '<p>De acuerdo; en nuestra red medimos lo mismo cada trimestre.</p>',
              case when x.official then ${facilitator} else ${id('user', 'x.u')} end, case when x.official then 'Persona 0' else 'Persona ' || x.u end,
              case when not x.official then o.id end, case when not x.official then o.name end, case when not x.official then o.kind end, case when not x.official then o.country end,
              x.official, p.created_at + interval '1 hour'
       from (select g, 1 + floor(random() * $2::int)::int as parent, $3::int + 1 + floor(random() * ($4::int - $3::int))::int as u, random() < 0.2 as official
             from generate_series(1, $1::int) g) x
       join comment p on p.id = ${id('c', 'x.parent')}
       join organization o on o.id = ${id('org', '1 + x.u % $5::int')}`,
      [s.replies, s.comments, s.members, s.users, s.organizations],
    );
    // Dispositions on every even-numbered comment: exactly half.
    await q(
      `insert into disposition (id, comment_id, round_id, status, response, response_html, decided_by_id, decided_by_name, decided_at)
       select ${id('d', 'g')}, ${id('c', 'g')}, ${id('round', 1)}, (array['ACCEPTED','PARTIALLY_ACCEPTED','REJECTED','NOTED'])[1 + floor(random() * 4)::int],
              'Se ajustará la redacción según la sugerencia.', '<p>Se ajustará la redacción según la sugerencia.</p>', ${facilitator}, 'Persona 0', now() - interval '1 day'
       from generate_series(2, $1::int, 2) g`,
      [s.comments],
    );
    await keepAfterBulkLoad(q);
    await q('set local session_replication_role = origin');
    // The maintained counters, set once from what was inserted.
    await q(
      `update round_version rv set comment_count = t.comments, undisposed_count = t.undisposed
       from (select c.round_id, c.indicator_version_id, count(*) as comments, count(*) filter (where d.id is null) as undisposed
             from comment c left join disposition d on d.comment_id = c.id
             where c.parent_id is null and c.withdrawn_at is null group by 1, 2) t
       where rv.round_id = t.round_id and rv.indicator_version_id = t.indicator_version_id`,
    );
    await q(
      `update consultation_round r set comment_count = t.comments, undisposed_count = t.undisposed, reply_count = t.replies
       from (select r.id, coalesce(sum(rv.comment_count), 0) as comments, coalesce(sum(rv.undisposed_count), 0) as undisposed,
                    (select count(*) from comment c where c.round_id = r.id and c.parent_id is not null) as replies
             from consultation_round r left join round_version rv on rv.round_id = r.id group by r.id) t
       where r.id = t.id`,
    );

    // Ballots: open, MEMBERS, two questions each (framework 2's proposed revisions), 150 frozen voters; about 60 % have voted.
    await q(
      `insert into ballot (id, title, eligibility, organization_ids, opens_at, closes_at, quorum_numerator, quorum_denominator, rule, share_numerator, share_denominator,
                           secrecy, frozen_at, eligible_count, created_by_id, created_at)
       select ${id('ballot', 'b')}, jsonb_build_object('es', 'Votación ' || b), 'MEMBERS', '{}', now() - interval '2 days', now() + interval '30 days', 1, 2,
              'SIMPLE_MAJORITY', 1, 2, 'OPEN', now() - interval '2 days', $2::int, ${facilitator}, now() - interval '3 days'
       from generate_series(1, $1::int) b`,
      [s.ballots, s.votersPerBallot],
    );
    await q(
      `insert into ballot_question (id, ballot_id, revision_id, indicator_id, position)
       select ${id('bq', "b || '-' || n")}, ${id('ballot', 'b')}, ${id('ver', "'2-' || ((b - 1) * 2 + n) || '-' || $2::int")}, ${id('ind', "'2-' || ((b - 1) * 2 + n)")}, n - 1
       from generate_series(1, $1::int) b, generate_series(1, 2) n`,
      [s.ballots, s.versions],
    );
    await q(
      `insert into ballot_voter (id, ballot_id, user_id, organization_id, name)
       select ${id('bv', "b || '-' || v")}, ${id('ballot', 'b')}, ${id('user', '1 + ((b * 37 + v) % $3::int)')}, null, 'Persona ' || (1 + ((b * 37 + v) % $3::int))
       from generate_series(1, $1::int) b, generate_series(1, $2::int) v`,
      [s.ballots, s.votersPerBallot, s.members],
    );
    await q(
      `insert into ballot_vote (id, ballot_id, question_id, voter_id, choice, reason, cast_by_id, cast_by_name, cast_at, updated_at)
       select ${id('vote', "x.b || '-' || x.n || '-' || x.v")}, ${id('ballot', 'x.b')}, ${id('bq', "x.b || '-' || x.n")}, ${id('bv', "x.b || '-' || x.v")}, x.choice,
              case when x.choice = 'REJECT' then 'Falta definir el período de medición.' end,
              ${id('user', '1 + ((x.b * 37 + x.v) % $3::int)')}, 'Persona ' || (1 + ((x.b * 37 + x.v) % $3::int)), now() - interval '1 day', now() - interval '1 day'
       from (select b, n, v, (array['APPROVE','APPROVE','REJECT','ABSTAIN'])[1 + floor(random() * 4)::int] as choice, random() as r
             from generate_series(1, $1::int) b, generate_series(1, 2) n, generate_series(1, $2::int) v) x
       where x.r < 0.6`,
      [s.ballots, s.votersPerBallot, s.members],
    );

    // Sessions (token = a fixed name, stored hashed as the API does): a reader, commenters, and ballot 1's voters.
    const commenters = 200;
    await q(
      `insert into session (token_hash, user_id, created_at, expires_at)
       select encode(sha256(convert_to(t.token, 'UTF8')), 'hex'), t.user_id, now(), now() + interval '30 days'
       from (select 'bench-reader' as token, ${id('user', '$1::int')} as user_id
             union all select 'bench-facilitator', ${id('user', 0)}
             union all select 'bench-commenter-' || g, ${id('user', '($1::int - g)')} from generate_series(1, $2::int) g
             union all select 'bench-voter-' || v, ${id('user', '1 + ((37 + v) % $3::int)')} from generate_series(1, $4::int) v) t`,
      [s.users, commenters, s.members, s.votersPerBallot],
    );
    await q('commit');
    // As autovacuum leaves a table some time after a bulk load: statistics, and a visibility map
    // that lets counts answer from an index alone.
    await q('vacuum (analyze)');
    const [top] = (
      await q(
        `select rv.indicator_id, rv.indicator_version_id from round_version rv where rv.round_id = ${id('round', 1)} order by rv.comment_count desc limit 1`,
      )
    ).rows;
    const [ids] = (await q(`select ${id('round', 1)} as round, ${id('user', '$1::int')} as reader, ${id('bq', "'1-1'")} as question`, [s.users])).rows;
    return {
      db,
      shape: s,
      seconds: (performance.now() - started) / 1000,
      roundId: ids.round,
      frameworkSlug: 'bench-1',
      indicatorId: top.indicator_id,
      indicatorVersionId: top.indicator_version_id,
      readerToken: 'bench-reader',
      readerId: ids.reader,
      facilitatorToken: 'bench-facilitator',
      commenterTokens: Array.from({ length: commenters }, (_, g) => `bench-commenter-${g + 1}`),
      questionId: ids.question,
      voterTokens: Array.from({ length: s.votersPerBallot }, (_, v) => `bench-voter-${v + 1}`),
    };
  } catch (e) {
    await c.end();
    await db.drop();
    throw e;
  } finally {
    await c.end().catch(() => undefined);
  }
}
