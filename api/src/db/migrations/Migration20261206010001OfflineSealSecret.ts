import { Migration } from '@mikro-orm/migrations';

/**
 * The instance's secret for the keys that seal a person's drafts and waiting writes on their device
 * (auth/offline-key.ts): its own, so rotating the device-cookie secret does not make them unreadable.
 */
export class Migration20261206010001OfflineSealSecret extends Migration {
  override async up(): Promise<void> {
    this.addSql(`insert into "instance_secret" ("name", "value") values ('offline_seal', gen_random_uuid()::text || gen_random_uuid()::text) on conflict do nothing`);
  }
}
