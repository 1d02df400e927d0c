import { Migration } from '@mikro-orm/migrations';

/** The first admin's invitation comes from the instance itself, not from a person (auth/first-admin.ts). */
export class Migration20261128130500FirstAdminInvitation extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "invitation" alter column "invited_by_id" drop not null');
  }
}
