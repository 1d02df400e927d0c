import { Migration } from '@mikro-orm/migrations';

/**
 * A comment carries its disposition's status (NONE until a facilitator decides), kept by a trigger
 * on `disposition` in the deciding transaction. The comment list's disposition filter and facets,
 * the themes, the dashboard and the round summary read it from the comment, and the facets index
 * holds it: they no longer join a round's comments to its dispositions, which in a
 * 200,000-comment round cost more than everything else the list reads.
 */
export class Migration20261128110000CommentDispositionStatus extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "comment" add column "disposition_status" text not null default 'NONE'`);
    this.addSql(`update "comment" c set "disposition_status" = d."status" from "disposition" d where d."comment_id" = c."id"`);
    this.addSql(`create function comment_disposition_status() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or (tg_op = 'UPDATE' and new.comment_id <> old.comment_id) then
    update comment set disposition_status = 'NONE' where id = old.comment_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update comment set disposition_status = new.status where id = new.comment_id and disposition_status <> new.status;
  end if;
  return null;
end $$`);
    this.addSql(
      'create trigger disposition_comment_status after insert or delete or update of "status", "comment_id" on "disposition" for each row execute function comment_disposition_status()',
    );
    this.addSql('drop index if exists "comment_round_facets_index"');
    this.addSql(
      'create index "comment_round_facets_index" on "comment" ("round_id", "type") include ("id", "section_id", "indicator_id", "target_kind", "author_organization_id", "author_organization_name", "author_country", "author_id", "withdrawn_at", "created_at", "disposition_status") where "parent_id" is null',
    );
  }
}
