import { Migration } from '@mikro-orm/migrations';

/**
 * Rounds a facilitator is still preparing (only facilitators see them; scheduling or opening publishes
 * them), and the working group as an audience of its own.
 */
export class Migration20261204161500RoundDraft extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "consultation_round" add column "draft" boolean not null default false');
    this.addSql('alter table "consultation_round" add column "audience_working_group" boolean not null default false');
  }
}
