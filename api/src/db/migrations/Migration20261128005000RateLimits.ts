import { Migration } from '@mikro-orm/migrations';

/** Rate-limit counters shared by every API process (rate-limiter-flexible's PostgreSQL layout). */
export class Migration20261128005000RateLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "rate_limit" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint)');
    this.addSql('create index "rate_limit_expire_index" on "rate_limit" ("expire")');
  }
}
