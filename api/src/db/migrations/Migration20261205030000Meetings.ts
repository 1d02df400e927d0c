import { Migration } from '@mikro-orm/migrations';

/**
 * Meetings of the working group: the meeting, its registrations (capacity and a waiting list),
 * attendance by organization and country, the agenda (items linked to an indicator, a revision, a
 * ballot or a round's dispositions), minutes per item, decisions, action items, the members'
 * sign-offs that approve the minutes (after which the database refuses any change to them), and
 * the speaking queue. An item about a revision may hold the quick ballot opened on it. Feedback entered on behalf of a meeting's room names the meeting.
 */
export class Migration20261205030000Meetings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "meeting" ("id" uuid not null, "title" jsonb not null, "kind" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "time_zone" text not null, "place" varchar(300) null, "online_url" varchar(500) null, "language" text not null, "audience" text not null, "capacity" int null, "confirmed_count" int not null default 0, "waitlisted_count" int not null default 0, "current_item_id" uuid null, "minutes_approved_at" timestamptz null, "created_by_id" uuid not null, "created_at" timestamptz not null,
      constraint "meeting_pkey" primary key ("id"),
      constraint "meeting_kind" check ("kind" in ('REGIONAL_FORUM', 'ANNUAL_MEETING', 'WORKING_GROUP_CALL', 'WORKSHOP')),
      constraint "meeting_audience" check ("audience" in ('PUBLIC', 'STAKEHOLDERS', 'WORKING_GROUP')),
      constraint "meeting_language" check ("language" in ('es', 'en', 'pt', 'fr')),
      constraint "meeting_times" check ("ends_at" > "starts_at"),
      constraint "meeting_where" check ("place" is not null or "online_url" is not null),
      constraint "meeting_capacity" check ("capacity" is null or "capacity" > 0),
      constraint "meeting_counts" check ("confirmed_count" >= 0 and "waitlisted_count" >= 0 and ("capacity" is null or "confirmed_count" <= "capacity")))`);
    this.addSql('create index "meeting_starts_at_index" on "meeting" ("starts_at")');

    this.addSql(`create table "meeting_registration" ("id" uuid not null, "meeting_id" uuid not null, "user_id" uuid not null, "status" text not null, "registered_at" timestamptz not null, "promoted_at" timestamptz null, "cancelled_at" timestamptz null,
      constraint "meeting_registration_pkey" primary key ("id"),
      constraint "meeting_registration_status" check ("status" in ('CONFIRMED', 'WAITLISTED', 'CANCELLED') and (("status" = 'CANCELLED') = ("cancelled_at" is not null))))`);
    this.addSql(`create unique index "meeting_registration_standing" on "meeting_registration" ("meeting_id", "user_id") where "status" <> 'CANCELLED'`);
    this.addSql('create index "meeting_registration_user_id_index" on "meeting_registration" ("user_id")');
    this.addSql('alter table "meeting_registration" add constraint "meeting_registration_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "meeting_registration" add constraint "meeting_registration_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade');

    this.addSql(`create table "meeting_attendance" ("id" uuid not null, "meeting_id" uuid not null, "user_id" uuid null, "person_name" varchar(200) not null, "organization_id" uuid null, "organization_name" varchar(200) not null, "country" varchar(2) not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null,
      constraint "meeting_attendance_pkey" primary key ("id"),
      constraint "meeting_attendance_meeting_id_user_id_unique" unique ("meeting_id", "user_id"))`);
    this.addSql('alter table "meeting_attendance" add constraint "meeting_attendance_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "meeting_attendance" add constraint "meeting_attendance_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade');

    this.addSql(`create table "agenda_item" ("id" uuid not null, "meeting_id" uuid not null, "position" int not null, "title" jsonb not null, "time_box_minutes" int null, "presenter" varchar(200) null, "materials" jsonb not null default '[]', "link_kind" text null, "round_id" uuid null, "indicator_version_id" uuid null, "ballot_id" uuid null, "minutes" text not null default '',
      constraint "agenda_item_pkey" primary key ("id"),
      constraint "agenda_item_time_box" check ("time_box_minutes" is null or "time_box_minutes" between 1 and 600),
      constraint "agenda_item_link" check (("link_kind" is null and "round_id" is null and "indicator_version_id" is null and "ballot_id" is null)
        or ("link_kind" = 'INDICATOR' and "round_id" is not null and "indicator_version_id" is not null and "ballot_id" is null)
        or ("link_kind" = 'REVISION' and "round_id" is null and "indicator_version_id" is not null)
        or ("link_kind" = 'BALLOT' and "round_id" is null and "indicator_version_id" is null and "ballot_id" is not null)
        or ("link_kind" = 'DISPOSITIONS' and "round_id" is not null and "indicator_version_id" is null and "ballot_id" is null)))`);
    this.addSql('create index "agenda_item_meeting_id_position_index" on "agenda_item" ("meeting_id", "position")');
    this.addSql('alter table "agenda_item" add constraint "agenda_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "agenda_item" add constraint "agenda_item_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');
    this.addSql('alter table "agenda_item" add constraint "agenda_item_indicator_version_id_foreign" foreign key ("indicator_version_id") references "indicator_version" ("id") on update cascade');
    this.addSql('alter table "agenda_item" add constraint "agenda_item_ballot_id_foreign" foreign key ("ballot_id") references "ballot" ("id") on update cascade');
    this.addSql('alter table "meeting" add constraint "meeting_current_item_id_foreign" foreign key ("current_item_id") references "agenda_item" ("id") on update cascade on delete set null');

    this.addSql(`create table "meeting_decision" ("id" uuid not null, "meeting_id" uuid not null, "agenda_item_id" uuid null, "text" text not null, "ballot_id" uuid null, "round_id" uuid null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null,
      constraint "meeting_decision_pkey" primary key ("id"))`);
    this.addSql('create index "meeting_decision_meeting_id_index" on "meeting_decision" ("meeting_id")');
    this.addSql('alter table "meeting_decision" add constraint "meeting_decision_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "meeting_decision" add constraint "meeting_decision_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on update cascade');
    this.addSql('alter table "meeting_decision" add constraint "meeting_decision_ballot_id_foreign" foreign key ("ballot_id") references "ballot" ("id") on update cascade');
    this.addSql('alter table "meeting_decision" add constraint "meeting_decision_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');

    this.addSql(`create table "action_item" ("id" uuid not null, "meeting_id" uuid not null, "agenda_item_id" uuid null, "description" text not null, "responsible_organization_id" uuid null, "responsible_person" varchar(200) not null, "due_on" date not null, "done_at" timestamptz null, "work_activity_id" uuid null, "created_at" timestamptz not null,
      constraint "action_item_pkey" primary key ("id"))`);
    this.addSql('create index "action_item_meeting_id_index" on "action_item" ("meeting_id")');
    this.addSql('alter table "action_item" add constraint "action_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "action_item" add constraint "action_item_agenda_item_id_foreign" foreign key ("agenda_item_id") references "agenda_item" ("id") on update cascade');
    this.addSql('alter table "action_item" add constraint "action_item_responsible_organization_id_foreign" foreign key ("responsible_organization_id") references "organization" ("id") on update cascade');

    this.addSql(`create table "minutes_sign_off" ("id" uuid not null, "meeting_id" uuid not null, "user_id" uuid not null, "signed_at" timestamptz not null, constraint "minutes_sign_off_pkey" primary key ("id"), constraint "minutes_sign_off_meeting_id_user_id_unique" unique ("meeting_id", "user_id"))`);
    this.addSql('alter table "minutes_sign_off" add constraint "minutes_sign_off_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "minutes_sign_off" add constraint "minutes_sign_off_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade');

    this.addSql(`create table "speaking_hand" ("id" uuid not null, "meeting_id" uuid not null, "user_id" uuid not null, "raised_at" timestamptz not null, "called_at" timestamptz null, "lowered_at" timestamptz null, constraint "speaking_hand_pkey" primary key ("id"))`);
    this.addSql(`create unique index "speaking_hand_raised" on "speaking_hand" ("meeting_id", "user_id") where "called_at" is null and "lowered_at" is null`);
    this.addSql('alter table "speaking_hand" add constraint "speaking_hand_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('alter table "speaking_hand" add constraint "speaking_hand_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade');

    this.addSql('alter table "on_behalf_source" add column "meeting_id" uuid null');
    this.addSql('alter table "on_behalf_source" add constraint "on_behalf_source_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade');
    this.addSql('create index "on_behalf_source_meeting_id_index" on "on_behalf_source" ("meeting_id")');

    this.addSql(`insert into "instance_secret" ("name", "value") values ('calendar_feed', gen_random_uuid()::text || gen_random_uuid()::text) on conflict do nothing`);

    // Approved minutes are the record: the approval stands, and no statement changes the items' minutes, the decisions, the action items (but marking one done) or the sign-offs.
    this.addSql(`create function meeting_minutes_frozen() returns trigger language plpgsql as $$
declare
  meeting_of uuid := case when tg_op = 'DELETE' then old.meeting_id else new.meeting_id end;
begin
  if tg_op = 'UPDATE' and tg_table_name = 'action_item' and (to_jsonb(new) - 'done_at') = (to_jsonb(old) - 'done_at') then
    return new;
  end if;
  if exists (select 1 from "meeting" m where m.id = meeting_of and m.minutes_approved_at is not null)
     or (tg_op = 'UPDATE' and exists (select 1 from "meeting" m where m.id = old.meeting_id and m.minutes_approved_at is not null)) then
    raise exception 'the minutes of this meeting are approved: they are immutable' using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$`);
    for (const table of ['agenda_item', 'meeting_decision', 'action_item', 'minutes_sign_off']) {
      this.addSql(`create trigger "${table}_minutes_frozen" before insert or update or delete on "${table}" for each row execute function meeting_minutes_frozen()`);
    }
    this.addSql(`create function meeting_approval_stands() returns trigger language plpgsql as $$
begin
  if old.minutes_approved_at is not null and new.minutes_approved_at is distinct from old.minutes_approved_at then
    raise exception 'the minutes of this meeting are approved: they are immutable' using errcode = '42501';
  end if;
  return new;
end $$`);
    this.addSql('create trigger "meeting_approval_stands" before update on "meeting" for each row execute function meeting_approval_stands()');
    this.addSql(`create trigger "meeting_no_delete" before delete on "meeting" for each row when (old.minutes_approved_at is not null) execute function meeting_approval_stands()`);
  }
}
