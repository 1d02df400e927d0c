import { Migration } from '@mikro-orm/migrations';

/**
 * One place per agenda item: (meeting, position) is unique. Checked at commit, so a move swaps two
 * items' places within its transaction. The agendas where two items took one place before (added
 * at once) are renumbered first, in their order then, ties by id.
 */
export class Migration20261205220001AgendaOrder extends Migration {
  override async up(): Promise<void> {
    // Approved minutes freeze their agenda; a renumbering only settles an order they never had.
    this.addSql('alter table "agenda_item" disable trigger "agenda_item_minutes_frozen"');
    this.addSql(`update "agenda_item" a set "position" = o.n from (
      select "id", row_number() over (partition by "meeting_id" order by "position", "id")::int as n from "agenda_item"
      where "meeting_id" in (select "meeting_id" from "agenda_item" group by "meeting_id", "position" having count(*) > 1)
    ) o where o."id" = a."id" and a."position" <> o.n`);
    this.addSql('alter table "agenda_item" enable trigger "agenda_item_minutes_frozen"');
    this.addSql('drop index "agenda_item_meeting_id_position_index"');
    this.addSql('alter table "agenda_item" add constraint "agenda_item_meeting_id_position_unique" unique ("meeting_id", "position") deferrable initially deferred');
  }
}
