/**
 * Writes a new migration with the SQL that brings a database at the latest migration up to
 * the entities: `npm run migration:create -w api -- <Name>`. Review the file before committing;
 * add by hand what the ORM cannot express (triggers, extensions, text-search indexes).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from './orm.config.js';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: migration:create <PascalCaseName>');
  process.exit(2);
}
const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = `consulta_migration_${process.pid}`;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
await admin.query(`create database ${scratch}`);
const url = new URL(server);
url.pathname = `/${scratch}`;
try {
  const orm = await MikroORM.init(ormConfig({ clientUrl: url.toString(), poolMax: 1 }));
  await orm.getMigrator().up();
  const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
  await orm.close();
  const statements = sql.split(/;\n/).map((s) => s.trim()).filter(Boolean);
  if (!statements.length) {
    console.log('The entities match the migrations; nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const className = `Migration${stamp}${name}`;
    const file = fileURLToPath(new URL(`./migrations/${className}.ts`, import.meta.url));
    const body = statements.map((s) => `    this.addSql(${JSON.stringify(s.replace(/;$/, ''))});`).join('\n');
    writeFileSync(file, `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${className} extends Migration {\n  override async up(): Promise<void> {\n${body}\n  }\n}\n`);
    console.log(`wrote ${file}\nAdd it to migrations/index.ts.`);
  }
} finally {
  await admin.query(`drop database if exists ${scratch} with (force)`);
  await admin.end();
}
