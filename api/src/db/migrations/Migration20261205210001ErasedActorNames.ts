import { Migration } from '@mikro-orm/migrations';

/**
 * A deleted account's name stays nowhere: the names stored where the person voted, decided a
 * comment's disposition or entered feedback on someone's behalf are erased as on its comments
 * (each reader is shown “former participant” in their own language). A vote's tally trigger now
 * fires only when a vote's choice or question changes, so erasing the name on a decided question's
 * vote is allowed; changing its choice is still refused.
 */
export class Migration20261205210001ErasedActorNames extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop trigger "ballot_vote_tally" on "ballot_vote"');
    this.addSql('create trigger "ballot_vote_tally" after insert or delete or update of "choice", "question_id" on "ballot_vote" for each row execute function ballot_vote_tally()');
    const deleted = `select "id" from "app_user" where "email" like 'deleted-%@deleted.invalid'`;
    this.addSql(`update "ballot_vote" set "cast_by_name" = '' where "cast_by_id" in (${deleted})`);
    this.addSql(`update "disposition" set "decided_by_name" = '' where "decided_by_id" in (${deleted})`);
    this.addSql(`update "on_behalf_source" set "entered_by_name" = '' where "entered_by_id" in (${deleted})`);
  }
}
