import { Migration } from '@mikro-orm/migrations';

/**
 * A deleted account's name, and the author name on the comments it kept, were stored as the Spanish
 * “Participante anterior”; they are erased now (an empty name), and each reader is shown “former
 * participant” in their own language. Deleted accounts are those whose address was replaced on deletion.
 */
export class Migration20261205120000FormerParticipantName extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "comment" set "author_name" = '' where "author_id" in (select "id" from "app_user" where "email" like 'deleted-%@deleted.invalid')`);
    this.addSql(`update "app_user" set "name" = '' where "email" like 'deleted-%@deleted.invalid'`);
  }
}
