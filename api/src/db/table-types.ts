/**
 * `npm run db:types -w api`: the table types every typed read is checked against (`tables.ts`),
 * generated from a scratch database migrated by our migrations, so a column a migration renames
 * or drops fails the build wherever it is read. A test regenerates them and fails on a difference.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import { Kysely, PostgresDialect } from 'kysely';
import { PostgresDialect as PostgresTypes, generate } from 'kysely-codegen';
import pg from 'pg';
import { ormConfig } from './orm.config.js';

export const TABLES_FILE = fileURLToPath(new URL('./tables.ts', import.meta.url));

const LOCALIZED = ['agenda_item.title', 'meeting.title', 'work_plan.title', 'work_objective.title', 'work_activity.title', 'ballot.title', 'consultation_round.title', 'consultation_round.instructions', 'framework.name', 'framework.description', 'framework_release.notes', 'section.title', 'theme.label', 'notification.subject'];

const DOMAIN_COLUMNS: Record<string, string> = {
  ...Object.fromEntries(LOCALIZED.map((column) => [column, 'LocalizedText'])),
  'indicator_version.texts': 'IndicatorTexts',
  'indicator_draft.texts': 'IndicatorTexts',
  'audit_entry.data': 'Record<string, unknown>',
  'comment.anchor': 'CommentAnchor | null',
  'comment.target_kind': 'CommentTargetKind',
  'comment.type': 'CommentType | null',
  'comment.author_organization_kind': 'OrganizationKind | null',
  'disposition.status': 'DispositionStatus',
  'indicator.status': 'IndicatorStatus',
  'indicator_version.status': 'IndicatorVersionStatus',
  'framework.source_language': 'Locale',
  'live_event.kind': 'LiveEventKind',
  'live_event.ids': 'LiveEventIds',
};

const DOMAIN_TYPES = {
  LocalizedText: '../i18n/localized-text.js',
  IndicatorTexts: '../indicators/indicator-field.js',
  CommentAnchor: '../comments/comment.entity.js',
  CommentTargetKind: '../comments/comment.entity.js',
  CommentType: '../comments/comment.entity.js',
  OrganizationKind: '../organizations/organization.entity.js',
  DispositionStatus: '../dispositions/disposition.entity.js',
  IndicatorStatus: '../indicators/indicator.entity.js',
  IndicatorVersionStatus: '../indicators/indicator.entity.js',
  Locale: '../users/user.entity.js',
  LiveEventKind: '../live/live-event.js',
  LiveEventIds: '../live/live-event.js',
};

/** The table types of the (migrated) database at `url`, as `tables.ts` holds them. */
export async function tableTypes(url: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // The pool's end resolves before its connection has closed: dropping the scratch database then
  // terminates that connection, which is no error of ours.
  pool.on('error', (err: Error & { code?: string }) => {
    if (err.code !== '57P01') throw err;
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    return await generate({
      // The same Kysely at run time; its types come once as ESM and once as CommonJS, whose private fields differ.
      db: db as never,
      dialect: new PostgresTypes(),
      outFile: null,
      // The migrations' own table and the job queue's schema (graphile-worker's, not ours to read).
      excludePattern: '{*.mikro_orm_migrations,graphile_worker.*}',
      // The domain's types where a column holds more than its SQL type says: JSON documents, and text
      // holding an entity's enum. The entities declare the same, so both sides read one type.
      overrides: { columns: DOMAIN_COLUMNS },
      customImports: DOMAIN_TYPES,
      // The ORM's connection hands timestamps over as text (MikroORM's type parsers), and so do our reads on it.
      typeMapping: { timestamptz: 'string', timestamp: 'string', date: 'string' },
    });
  } finally {
    await db.destroy();
  }
}

/** Creates a scratch database on `serverUrl`, migrates it, generates the table types and drops it. */
export async function generateTableTypes(serverUrl: string): Promise<string> {
  const name = `consulta_types_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const orm = await MikroORM.init(ormConfig({ clientUrl: url.toString(), poolMax: 1 }));
    try {
      await orm.getMigrator().up();
    } finally {
      await orm.close(true);
    }
    return await tableTypes(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await writeFile(TABLES_FILE, await generateTableTypes(server));
  console.log(`wrote ${TABLES_FILE}`);
}
