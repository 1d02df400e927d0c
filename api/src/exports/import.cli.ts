/**
 * `npm run import -w api -- round.json`: loads a `consulta-round` export into the database the
 * API is configured for (DATABASE_URL, or the embedded one), in one transaction. For documents
 * too large for the GraphQL `importRound` mutation's request limit.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { DomainError } from '../errors.js';
import { importRound } from './round-import.js';

const file = process.argv[2];
if (!file) {
  console.error('Usage: npm run import -w api -- <round.json>');
  process.exit(2);
}
const document: unknown = JSON.parse(await readFile(file, 'utf8'));
const db = await openDatabase(loadConfig());
try {
  const result = await db.orm.em.fork().transactional((em) => importRound(em, document, null));
  console.log(JSON.stringify(result, null, 2));
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  console.error(`${err.code}: ${err.message}${err.details.fields ? ` (${err.details.fields.map((f) => f.field).join(', ')})` : ''}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
