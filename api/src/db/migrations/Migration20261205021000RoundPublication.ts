import { Migration } from '@mikro-orm/migrations';

/**
 * What a round shows the public: whether its comments are readable signed out once it closes, and how
 * their authors appear there (by name, by organization only, or not at all).
 */
export class Migration20261205021000RoundPublication extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "consultation_round" add column "comments_public" boolean not null default false');
    this.addSql(`alter table "consultation_round" add column "public_authors" text not null default 'ORGANIZATION', add constraint "consultation_round_public_authors" check ("public_authors" in ('NAME', 'ORGANIZATION', 'HIDDEN'))`);
  }
}
