import { Migration } from '@mikro-orm/migrations';

/**
 * The working group's work plan: one plan per year, its objectives in order, and their activities
 * (responsible partners, a person, start and end dates, status and progress). An activity links to
 * the meetings, rounds, ballots and action items that carry it out: one typed foreign key per kind,
 * so a link never names a row that is gone. Whether an activity is overdue is read from the clock,
 * never stored. The action item's `work_activity_id`, reserved by the meetings migration and never
 * used, is dropped: an action item joins the plan through a link, which approved minutes (whose
 * action items only change their done mark) do not forbid.
 */
export class Migration20261205130000WorkPlan extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "work_plan" ("id" uuid not null, "year" int not null, "title" jsonb not null, "created_by_id" uuid not null, "created_at" timestamptz not null,
      constraint "work_plan_pkey" primary key ("id"),
      constraint "work_plan_year_unique" unique ("year"),
      constraint "work_plan_year" check ("year" between 2000 and 2100))`);
    this.addSql('alter table "work_plan" add constraint "work_plan_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade');

    this.addSql(`create table "work_objective" ("id" uuid not null, "plan_id" uuid not null, "position" int not null, "title" jsonb not null,
      constraint "work_objective_pkey" primary key ("id"),
      constraint "work_objective_plan_id_position_unique" unique ("plan_id", "position"))`);
    this.addSql('alter table "work_objective" add constraint "work_objective_plan_id_foreign" foreign key ("plan_id") references "work_plan" ("id") on update cascade');

    this.addSql(`create table "work_activity" ("id" uuid not null, "objective_id" uuid not null, "position" int not null, "title" jsonb not null, "responsible_person" varchar(200) null, "starts_on" date not null, "ends_on" date not null, "status" text not null, "progress" int not null default 0, "updated_at" timestamptz not null,
      constraint "work_activity_pkey" primary key ("id"),
      constraint "work_activity_objective_id_position_unique" unique ("objective_id", "position"),
      constraint "work_activity_dates" check ("ends_on" >= "starts_on"),
      constraint "work_activity_status" check ("status" in ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
      constraint "work_activity_progress" check ("progress" between 0 and 100 and ("status" <> 'DONE' or "progress" = 100)))`);
    this.addSql('alter table "work_activity" add constraint "work_activity_objective_id_foreign" foreign key ("objective_id") references "work_objective" ("id") on update cascade');

    this.addSql(`create table "work_activity_partner" ("activity_id" uuid not null, "organization_id" uuid not null,
      constraint "work_activity_partner_pkey" primary key ("activity_id", "organization_id"))`);
    this.addSql('alter table "work_activity_partner" add constraint "work_activity_partner_activity_id_foreign" foreign key ("activity_id") references "work_activity" ("id") on update cascade on delete cascade');
    this.addSql('alter table "work_activity_partner" add constraint "work_activity_partner_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade');

    this.addSql(`create table "work_activity_link" ("id" uuid not null, "activity_id" uuid not null, "kind" text not null, "meeting_id" uuid null, "round_id" uuid null, "ballot_id" uuid null, "action_item_id" uuid null, "created_at" timestamptz not null,
      constraint "work_activity_link_pkey" primary key ("id"),
      constraint "work_activity_link_target" check (("kind" = 'MEETING' and "meeting_id" is not null and "round_id" is null and "ballot_id" is null and "action_item_id" is null)
        or ("kind" = 'ROUND' and "meeting_id" is null and "round_id" is not null and "ballot_id" is null and "action_item_id" is null)
        or ("kind" = 'BALLOT' and "meeting_id" is null and "round_id" is null and "ballot_id" is not null and "action_item_id" is null)
        or ("kind" = 'ACTION_ITEM' and "meeting_id" is null and "round_id" is null and "ballot_id" is null and "action_item_id" is not null)))`);
    this.addSql('create unique index "work_activity_link_once" on "work_activity_link" ("activity_id", "kind", coalesce("meeting_id", "round_id", "ballot_id", "action_item_id"))');
    this.addSql('alter table "work_activity_link" add constraint "work_activity_link_activity_id_foreign" foreign key ("activity_id") references "work_activity" ("id") on update cascade');
    this.addSql('alter table "work_activity_link" add constraint "work_activity_link_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "work_activity_link" add constraint "work_activity_link_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');
    this.addSql('alter table "work_activity_link" add constraint "work_activity_link_ballot_id_foreign" foreign key ("ballot_id") references "ballot" ("id") on update cascade');
    this.addSql('alter table "work_activity_link" add constraint "work_activity_link_action_item_id_foreign" foreign key ("action_item_id") references "action_item" ("id") on update cascade');

    this.addSql('alter table "action_item" drop column "work_activity_id"');
  }
}
