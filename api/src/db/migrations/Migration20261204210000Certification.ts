import { Migration } from '@mikro-orm/migrations';

/**
 * Certification: schemes on a final release (their areas and indicators, immutable once made, as the
 * release they rest on), assessments with their answers (frozen by the database once submitted),
 * reviewers, reviewed judgments, evidence requests, and the seals awarded per area. Organizations
 * gain `accredited`: a certification body whose people may review.
 */
export class Migration20261204210000Certification extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "organization" add column "accredited" boolean not null default false');

    this.addSql('create table "certification_scheme" ("id" uuid not null, "release_id" uuid not null, "validity_months" int not null, "surveillance_months" int not null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "certification_scheme_pkey" primary key ("id"), constraint "certification_scheme_release_id_unique" unique ("release_id"), constraint "certification_scheme_months" check ("validity_months" > 0 and "surveillance_months" > 0 and "surveillance_months" < "validity_months"))');
    this.addSql('alter table "certification_scheme" add constraint "certification_scheme_release_id_foreign" foreign key ("release_id") references "framework_release" ("id") on update cascade');

    this.addSql('create table "certification_scheme_area" ("id" uuid not null, "scheme_id" uuid not null, "section_id" uuid not null, "code" varchar(20) not null, "pass_percent" int not null, "position" int not null, constraint "certification_scheme_area_pkey" primary key ("id"), constraint "certification_scheme_area_scheme_id_section_id_unique" unique ("scheme_id", "section_id"), constraint "certification_scheme_area_pass_percent" check ("pass_percent" between 0 and 100))');
    this.addSql('alter table "certification_scheme_area" add constraint "certification_scheme_area_scheme_id_foreign" foreign key ("scheme_id") references "certification_scheme" ("id") on update cascade');
    this.addSql('alter table "certification_scheme_area" add constraint "certification_scheme_area_section_id_foreign" foreign key ("section_id") references "section" ("id") on update cascade');

    this.addSql(`create table "certification_scheme_indicator" ("id" uuid not null, "area_id" uuid not null, "release_indicator_id" uuid not null, "code" varchar(30) not null, "weight" text not null, "points" int not null, "comparator" text null, "threshold" double precision null, "position" int not null, constraint "certification_scheme_indicator_pkey" primary key ("id"), constraint "certification_scheme_indicator_area_id_release_indicator_id_unique" unique ("area_id", "release_indicator_id"), constraint "certification_scheme_indicator_weight" check (("weight" = 'ESSENTIAL' and "points" = 0) or ("weight" = 'SCORED' and "points" > 0)), constraint "certification_scheme_indicator_comparator" check ("comparator" in ('GTE', 'GT', 'LTE', 'LT')), constraint "certification_scheme_indicator_threshold" check (("comparator" is null) = ("threshold" is null)))`);
    this.addSql('alter table "certification_scheme_indicator" add constraint "certification_scheme_indicator_area_id_foreign" foreign key ("area_id") references "certification_scheme_area" ("id") on update cascade');
    this.addSql('alter table "certification_scheme_indicator" add constraint "certification_scheme_indicator_release_indicator_id_foreign" foreign key ("release_indicator_id") references "release_indicator" ("id") on update cascade');

    this.addSql(`create function certification_scheme_immutable() returns trigger language plpgsql as $$ begin raise exception 'a certification scheme is immutable: a new release needs a new scheme' using errcode = '42501'; end $$`);
    for (const table of ['certification_scheme', 'certification_scheme_area', 'certification_scheme_indicator']) {
      this.addSql(`create trigger "${table}_no_change" before update or delete on "${table}" for each row execute function certification_scheme_immutable()`);
      this.addSql(`create trigger "${table}_no_truncate" before truncate on "${table}" for each statement execute function certification_scheme_immutable()`);
    }

    this.addSql(`create table "certification_assessment" ("id" uuid not null, "scheme_id" uuid not null, "organization_id" uuid not null, "kind" text not null, "status" text not null, "opened_by_id" uuid not null, "opened_at" timestamptz not null, "submitted_at" timestamptz null, "submitted_by_id" uuid null, "desk_review_on" date null, "site_visit_on" date null, constraint "certification_assessment_pkey" primary key ("id"), constraint "certification_assessment_kind" check ("kind" in ('SELF', 'ACCOMPANIED', 'EXTERNAL')), constraint "certification_assessment_status" check ("status" in ('IN_PROGRESS', 'UNDER_REVIEW', 'EVIDENCE_REQUESTED', 'DECIDED')), constraint "certification_assessment_submitted" check (("submitted_at" is null) = ("submitted_by_id" is null) and ("status" = 'IN_PROGRESS') = ("submitted_at" is null)))`);
    this.addSql('create index "certification_assessment_organization_id_index" on "certification_assessment" ("organization_id")');
    this.addSql('alter table "certification_assessment" add constraint "certification_assessment_scheme_id_foreign" foreign key ("scheme_id") references "certification_scheme" ("id") on update cascade');
    this.addSql('alter table "certification_assessment" add constraint "certification_assessment_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade');
    // Submitting happens once: the time and the submitter never change after.
    this.addSql(`create function certification_assessment_submitted_once() returns trigger language plpgsql as $$
begin
  if old.submitted_at is not null and (new.submitted_at, new.submitted_by_id, new.scheme_id, new.organization_id, new.kind) is distinct from (old.submitted_at, old.submitted_by_id, old.scheme_id, old.organization_id, old.kind) then
    raise exception 'a submitted assessment is frozen' using errcode = '42501';
  end if;
  return new;
end $$`);
    this.addSql('create trigger "certification_assessment_frozen" before update on "certification_assessment" for each row execute function certification_assessment_submitted_once()');

    this.addSql(`create table "certification_assessment_area" ("id" uuid not null, "assessment_id" uuid not null, "scheme_area_id" uuid not null, "self_essentials_met" boolean null, "self_earned_halves" int null, "self_applicable_points" int null, "self_awarded" boolean null, "decision" text null, "decision_reason" text null, "decided_by_id" uuid null, "decided_at" timestamptz null, constraint "certification_assessment_area_pkey" primary key ("id"), constraint "certification_assessment_area_assessment_id_scheme_area_id_unique" unique ("assessment_id", "scheme_area_id"), constraint "certification_assessment_area_decision" check ("decision" in ('AWARD', 'REFUSE') and "decided_by_id" is not null and "decided_at" is not null or "decision" is null and "decided_by_id" is null and "decided_at" is null))`);
    this.addSql('alter table "certification_assessment_area" add constraint "certification_assessment_area_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_assessment_area" add constraint "certification_assessment_area_scheme_area_id_foreign" foreign key ("scheme_area_id") references "certification_scheme_area" ("id") on update cascade');

    this.addSql(`create table "certification_answer" ("id" uuid not null, "assessment_id" uuid not null, "scheme_indicator_id" uuid not null, "judgment" text not null, "reported_value" double precision null, "notes" text not null default '', "evidence" jsonb not null default '[]', "revision" int not null, "answered_by_id" uuid not null, "updated_at" timestamptz not null, constraint "certification_answer_pkey" primary key ("id"), constraint "certification_answer_assessment_id_scheme_indicator_id_unique" unique ("assessment_id", "scheme_indicator_id"), constraint "certification_answer_judgment" check ("judgment" in ('MET', 'PARTIALLY_MET', 'NOT_MET', 'NOT_APPLICABLE')))`);
    this.addSql('alter table "certification_answer" add constraint "certification_answer_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_answer" add constraint "certification_answer_scheme_indicator_id_foreign" foreign key ("scheme_indicator_id") references "certification_scheme_indicator" ("id") on update cascade');
    // The answers of a submitted assessment are its snapshot: no statement changes, deletes or adds to them.
    this.addSql(`create function certification_answer_frozen() returns trigger language plpgsql as $$
begin
  if exists (select 1 from "certification_assessment" a where a.id = (case when tg_op = 'DELETE' then old.assessment_id else new.assessment_id end) and a.submitted_at is not null)
     or (tg_op = 'UPDATE' and exists (select 1 from "certification_assessment" a where a.id = old.assessment_id and a.submitted_at is not null)) then
    raise exception 'the answers of a submitted assessment are frozen' using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$`);
    this.addSql('create trigger "certification_answer_no_change" before insert or update or delete on "certification_answer" for each row execute function certification_answer_frozen()');

    this.addSql('create table "certification_reviewer" ("id" uuid not null, "assessment_id" uuid not null, "user_id" uuid not null, "assigned_by_id" uuid not null, "assigned_at" timestamptz not null, constraint "certification_reviewer_pkey" primary key ("id"), constraint "certification_reviewer_assessment_id_user_id_unique" unique ("assessment_id", "user_id"))');
    this.addSql('create index "certification_reviewer_user_id_index" on "certification_reviewer" ("user_id")');
    this.addSql('alter table "certification_reviewer" add constraint "certification_reviewer_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_reviewer" add constraint "certification_reviewer_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade');

    this.addSql(`create table "certification_review_judgment" ("id" uuid not null, "assessment_id" uuid not null, "scheme_indicator_id" uuid not null, "judgment" text not null, "reason" text not null default '', "reviewer_id" uuid not null, "reviewed_at" timestamptz not null, constraint "certification_review_judgment_pkey" primary key ("id"), constraint "certification_review_judgment_assessment_id_scheme_indicator_id_unique" unique ("assessment_id", "scheme_indicator_id"), constraint "certification_review_judgment_judgment" check ("judgment" in ('MET', 'PARTIALLY_MET', 'NOT_MET', 'NOT_APPLICABLE')))`);
    this.addSql('alter table "certification_review_judgment" add constraint "certification_review_judgment_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_review_judgment" add constraint "certification_review_judgment_scheme_indicator_id_foreign" foreign key ("scheme_indicator_id") references "certification_scheme_indicator" ("id") on update cascade');

    this.addSql(`create table "certification_evidence_request" ("id" uuid not null, "assessment_id" uuid not null, "scheme_indicator_id" uuid not null, "message" text not null, "requested_by_id" uuid not null, "requested_at" timestamptz not null, "response" text null, "response_evidence" jsonb not null default '[]', "responded_by_id" uuid null, "responded_at" timestamptz null, constraint "certification_evidence_request_pkey" primary key ("id"), constraint "certification_evidence_request_responded" check (("response" is null) = ("responded_at" is null) and ("responded_at" is null) = ("responded_by_id" is null)))`);
    this.addSql('create index "certification_evidence_request_assessment_id_index" on "certification_evidence_request" ("assessment_id")');
    this.addSql('alter table "certification_evidence_request" add constraint "certification_evidence_request_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_evidence_request" add constraint "certification_evidence_request_scheme_indicator_id_foreign" foreign key ("scheme_indicator_id") references "certification_scheme_indicator" ("id") on update cascade');

    this.addSql(`create table "certification_seal" ("id" uuid not null, "assessment_area_id" uuid not null, "organization_id" uuid not null, "scheme_area_id" uuid not null, "code" varchar(11) not null, "issued_on" date not null, "surveillance_on" date not null, "valid_until" date not null, "standing" text not null default 'CURRENT', "standing_reason" text null, constraint "certification_seal_pkey" primary key ("id"), constraint "certification_seal_assessment_area_id_unique" unique ("assessment_area_id"), constraint "certification_seal_code_unique" unique ("code"), constraint "certification_seal_standing" check ("standing" in ('CURRENT', 'SUSPENDED', 'WITHDRAWN')), constraint "certification_seal_dates" check ("issued_on" < "surveillance_on" and "surveillance_on" < "valid_until"))`);
    this.addSql('create index "certification_seal_organization_id_index" on "certification_seal" ("organization_id")');
    this.addSql('alter table "certification_seal" add constraint "certification_seal_assessment_area_id_foreign" foreign key ("assessment_area_id") references "certification_assessment_area" ("id") on update cascade');
    this.addSql('alter table "certification_seal" add constraint "certification_seal_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade');
    this.addSql('alter table "certification_seal" add constraint "certification_seal_scheme_area_id_foreign" foreign key ("scheme_area_id") references "certification_scheme_area" ("id") on update cascade');
  }
}
