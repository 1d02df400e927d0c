import { Migration } from '@mikro-orm/migrations';

/**
 * Secrets an instance makes for itself once, so every API process shares them without settings:
 * the key that signs device cookies (auth/device-cookie.ts) unless DEVICE_COOKIE_SECRET is set.
 * gen_random_uuid draws from the server's strong random source; two give 244 random bits.
 */
export class Migration20261128130000InstanceSecret extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "instance_secret" ("name" text primary key, "value" text not null)');
    this.addSql(`insert into "instance_secret" ("name", "value") values ('device_cookie', gen_random_uuid()::text || gen_random_uuid()::text)`);
  }
}
