import { Migration } from '@mikro-orm/migrations';

/**
 * An indicator is in force (ACTIVE) from its first published version on (publishIndicatorDraft now
 * says so); those published before that rule still read DRAFT.
 */
export class Migration20261204164500IndicatorsInForce extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "indicator" set "status" = 'ACTIVE' where "status" = 'DRAFT' and "current_version_id" is not null`);
  }
}
