/**
 * `npm run admin -w api -- create <email>`: invites the first admin of an instance that has none
 * (the database the API is configured for) and prints the one-time link, which opens the page where
 * they choose their own password. Once an admin exists it does nothing and exits 1.
 */
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { FirstAdminRefusal, inviteFirstAdmin } from './first-admin.js';

const [command, email] = process.argv.slice(2);
if (command !== 'create' || !z.email().safeParse(email?.trim()).success) {
  console.error('Usage: npm run admin -w api -- create <email>');
  process.exit(2);
}
let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`Invalid setting ${err.message}`);
  process.exit(2);
}
const db = await openDatabase(config);
try {
  const outcome = await inviteFirstAdmin(db.orm.em.fork(), config, email, 'command');
  if (outcome.invited) {
    if (outcome.replaced) console.log('The earlier first-admin link no longer works.');
    console.log(`Open this link to choose the password of ${outcome.email} (admin); it works once, until ${outcome.expiresAt.toISOString()}:`);
    console.log(outcome.link);
  } else {
    console.error(outcome.reason === FirstAdminRefusal.ADMIN_EXISTS ? 'This instance already has an admin: nothing done. Admins invite people from the people page.' : outcome.reason);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
