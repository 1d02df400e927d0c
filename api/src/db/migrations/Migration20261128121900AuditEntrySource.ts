import { Migration } from '@mikro-orm/migrations';

/**
 * An imported audit entry takes this instance's next number, as every entry does, and keeps the
 * number it had in the instance it came from in `source_id` (null for an entry written here):
 * keeping the source's numbers collided with this instance's own log.
 */
export class Migration20261128121900AuditEntrySource extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "audit_entry" add column "source_id" bigint null');
  }
}
