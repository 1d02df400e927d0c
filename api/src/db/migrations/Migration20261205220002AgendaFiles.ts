import { Migration } from '@mikro-orm/migrations';

/** Files among an agenda item's materials (the bytes in the file store, by their SHA-256). */
export class Migration20261205220002AgendaFiles extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "agenda_file" ("id" uuid not null, "agenda_item_id" uuid not null, "sha256" char(64) not null, "size" int not null, "content_type" text not null, "file_name" text not null, "uploaded_by_id" uuid not null, "uploaded_at" timestamptz not null,
      constraint "agenda_file_pkey" primary key ("id"))`);
    this.addSql('create index "agenda_file_agenda_item_id_index" on "agenda_file" ("agenda_item_id")');
    this.addSql('alter table "agenda_file" add constraint "agenda_file_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on update cascade');
  }
}
