import { Migration } from '@mikro-orm/migrations';

/**
 * Pilot flags: an institution or reviewer marks an indicator unclear, unmeasurable or too costly to
 * evidence, with a note. Each flag enters every consultation round that consults its indicator as an
 * on-behalf comment, once: `certification_pilot_flag_delivery` records which comment it became in
 * which round, its primary key making a delivery retried by the job queue a no-op.
 */
export class Migration20261205010500CertificationPilotFlags extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "certification_pilot_flag" ("id" uuid not null, "assessment_id" uuid not null, "scheme_indicator_id" uuid not null, "indicator_id" uuid not null, "kind" text not null, "note" text not null, "flagged_by_id" uuid not null, "flagged_as" text not null, "flagged_at" timestamptz not null, constraint "certification_pilot_flag_pkey" primary key ("id"), constraint "certification_pilot_flag_kind" check ("kind" in ('UNCLEAR', 'UNMEASURABLE', 'TOO_COSTLY')), constraint "certification_pilot_flag_flagged_as" check ("flagged_as" in ('INSTITUTION', 'REVIEWER')))`);
    this.addSql('create index "certification_pilot_flag_indicator_id_index" on "certification_pilot_flag" ("indicator_id")');
    this.addSql('create index "certification_pilot_flag_assessment_id_index" on "certification_pilot_flag" ("assessment_id")');
    this.addSql('alter table "certification_pilot_flag" add constraint "certification_pilot_flag_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_pilot_flag" add constraint "certification_pilot_flag_scheme_indicator_id_foreign" foreign key ("scheme_indicator_id") references "certification_scheme_indicator" ("id") on update cascade');
    this.addSql('alter table "certification_pilot_flag" add constraint "certification_pilot_flag_indicator_id_foreign" foreign key ("indicator_id") references "indicator" ("id") on update cascade');
    this.addSql(`create table "certification_pilot_flag_delivery" ("flag_id" uuid not null, "round_id" uuid not null, "comment_id" uuid not null, "delivered_at" timestamptz not null, constraint "certification_pilot_flag_delivery_pkey" primary key ("flag_id", "round_id"))`);
    this.addSql('alter table "certification_pilot_flag_delivery" add constraint "certification_pilot_flag_delivery_flag_id_foreign" foreign key ("flag_id") references "certification_pilot_flag" ("id") on update cascade');
    this.addSql('alter table "certification_pilot_flag_delivery" add constraint "certification_pilot_flag_delivery_round_id_foreign" foreign key ("round_id") references "consultation_round" ("id") on update cascade');
    this.addSql('alter table "certification_pilot_flag_delivery" add constraint "certification_pilot_flag_delivery_comment_id_foreign" foreign key ("comment_id") references "comment" ("id") on update cascade');
  }
}
