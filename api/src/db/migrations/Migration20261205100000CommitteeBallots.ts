import { Migration } from '@mikro-orm/migrations';

/**
 * The certification committee's decision by ballot: a scheme area says whether its seal is decided
 * directly or by a ballot of the committee (`decided_by`); such a ballot (eligibility COMMITTEE) puts
 * one question on an assessment area instead of a revision, so a question names either a revision
 * (with its indicator) or an assessment area, never both; an area has at most one undecided question.
 * A decided area names the person who decided it, or the committee ballot that did.
 * The scheme's immutability trigger fires on row updates only, so existing areas take the default.
 */
export class Migration20261205100000CommitteeBallots extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "certification_scheme_area" add column "decided_by" text not null default 'DIRECT', add constraint "certification_scheme_area_decided_by" check ("decided_by" in ('DIRECT', 'COMMITTEE_BALLOT'))`);
    this.addSql('alter table "ballot" drop constraint "ballot_eligibility_check"');
    this.addSql(`alter table "ballot" add constraint "ballot_eligibility_check" check ("eligibility" in ('MEMBERS', 'ORGANIZATIONS', 'COMMITTEE'))`);
    this.addSql('alter table "ballot_question" alter column "revision_id" drop not null, alter column "indicator_id" drop not null, add column "assessment_area_id" uuid null');
    this.addSql('alter table "ballot_question" add constraint "ballot_question_assessment_area_id_foreign" foreign key ("assessment_area_id") references "certification_assessment_area" ("id") on update cascade');
    this.addSql(`alter table "ballot_question" add constraint "ballot_question_subject" check (("revision_id" is not null and "indicator_id" is not null and "assessment_area_id" is null) or ("revision_id" is null and "indicator_id" is null and "assessment_area_id" is not null))`);
    this.addSql('create unique index "ballot_question_pending_area_unique" on "ballot_question" ("assessment_area_id") where "outcome" is null');
    this.addSql('create index "ballot_question_assessment_area_id_index" on "ballot_question" ("assessment_area_id")');
    // An area decided by a committee ballot closed by the clock has no person behind the decision: the ballot stands for it.
    this.addSql('alter table "certification_assessment_area" add column "decided_by_ballot_id" uuid null');
    this.addSql('alter table "certification_assessment_area" add constraint "certification_assessment_area_decided_by_ballot_id_foreign" foreign key ("decided_by_ballot_id") references "ballot" ("id") on update cascade');
    this.addSql('alter table "certification_assessment_area" drop constraint "certification_assessment_area_decision"');
    this.addSql(`alter table "certification_assessment_area" add constraint "certification_assessment_area_decision" check ("decision" in ('AWARD', 'REFUSE') and ("decided_by_id" is not null or "decided_by_ballot_id" is not null) and "decided_at" is not null or "decision" is null and "decided_by_id" is null and "decided_by_ballot_id" is null and "decided_at" is null)`);
  }
}
