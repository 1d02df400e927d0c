import { Migration } from '@mikro-orm/migrations';

export class Migration20261128030000Ballots extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"ballot\" (\"id\" uuid not null, \"title\" jsonb not null, \"eligibility\" text check (\"eligibility\" in ('MEMBERS', 'ORGANIZATIONS')) not null, \"organization_ids\" text[] not null, \"opens_at\" timestamptz not null, \"closes_at\" timestamptz not null, \"quorum_numerator\" int not null, \"quorum_denominator\" int not null, \"rule\" text check (\"rule\" in ('SIMPLE_MAJORITY', 'QUALIFIED_MAJORITY', 'ISO_DIS', 'CONSENSUS')) not null, \"share_numerator\" int not null default 2, \"share_denominator\" int not null default 3, \"secrecy\" text check (\"secrecy\" in ('SECRET_UNTIL_CLOSE', 'OPEN')) not null, \"frozen_at\" timestamptz null, \"eligible_count\" int null, \"closed_at\" timestamptz null, \"closed_by_id\" uuid null, \"created_by_id\" uuid not null, \"created_at\" timestamptz not null, constraint \"ballot_pkey\" primary key (\"id\"))");
    this.addSql("create index \"ballot_closed_at_closes_at_index\" on \"ballot\" (\"closed_at\", \"closes_at\")");
    this.addSql("create table \"ballot_voter\" (\"id\" uuid not null, \"ballot_id\" uuid not null, \"user_id\" uuid null, \"organization_id\" uuid null, \"name\" varchar(200) not null, constraint \"ballot_voter_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"ballot_voter\" add constraint \"ballot_voter_ballot_id_organization_id_unique\" unique (\"ballot_id\", \"organization_id\")");
    this.addSql("alter table \"ballot_voter\" add constraint \"ballot_voter_ballot_id_user_id_unique\" unique (\"ballot_id\", \"user_id\")");
    this.addSql("create table \"revision_comment\" (\"id\" uuid not null, \"revision_id\" uuid not null, \"comment_id\" uuid not null, \"created_at\" timestamptz not null, constraint \"revision_comment_pkey\" primary key (\"id\"))");
    this.addSql("create index \"revision_comment_comment_id_index\" on \"revision_comment\" (\"comment_id\")");
    this.addSql("alter table \"revision_comment\" add constraint \"revision_comment_revision_id_comment_id_unique\" unique (\"revision_id\", \"comment_id\")");
    this.addSql("create table \"ballot_question\" (\"id\" uuid not null, \"ballot_id\" uuid not null, \"revision_id\" uuid not null, \"indicator_id\" uuid not null, \"position\" int not null, \"approve_count\" int not null default 0, \"reject_count\" int not null default 0, \"abstain_count\" int not null default 0, \"outcome\" text check (\"outcome\" in ('NO_QUORUM', 'APPROVED', 'REJECTED')) null, \"decided_at\" timestamptz null, constraint \"ballot_question_pkey\" primary key (\"id\"))");
    this.addSql("create index \"ballot_question_ballot_id_position_index\" on \"ballot_question\" (\"ballot_id\", \"position\")");
    this.addSql("alter table \"ballot_question\" add constraint \"ballot_question_ballot_id_indicator_id_unique\" unique (\"ballot_id\", \"indicator_id\")");
    this.addSql("create table \"ballot_vote\" (\"id\" uuid not null, \"ballot_id\" uuid not null, \"question_id\" uuid not null, \"voter_id\" uuid not null, \"choice\" text check (\"choice\" in ('APPROVE', 'REJECT', 'ABSTAIN')) not null, \"reason\" text null, \"cast_by_id\" uuid not null, \"cast_by_name\" varchar(200) not null, \"cast_at\" timestamptz not null, \"updated_at\" timestamptz not null, constraint \"ballot_vote_pkey\" primary key (\"id\"))");
    this.addSql("create index \"ballot_vote_ballot_id_index\" on \"ballot_vote\" (\"ballot_id\")");
    this.addSql("alter table \"ballot_vote\" add constraint \"ballot_vote_question_id_voter_id_unique\" unique (\"question_id\", \"voter_id\")");
    this.addSql("alter table \"ballot_voter\" add constraint \"ballot_voter_ballot_id_foreign\" foreign key (\"ballot_id\") references \"ballot\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"revision_comment\" add constraint \"revision_comment_revision_id_foreign\" foreign key (\"revision_id\") references \"indicator_version\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"revision_comment\" add constraint \"revision_comment_comment_id_foreign\" foreign key (\"comment_id\") references \"comment\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"ballot_question\" add constraint \"ballot_question_ballot_id_foreign\" foreign key (\"ballot_id\") references \"ballot\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"ballot_question\" add constraint \"ballot_question_revision_id_foreign\" foreign key (\"revision_id\") references \"indicator_version\" (\"id\") on update cascade");
    this.addSql("alter table \"ballot_question\" add constraint \"ballot_question_indicator_id_foreign\" foreign key (\"indicator_id\") references \"indicator\" (\"id\") on update cascade");
    this.addSql("alter table \"ballot_vote\" add constraint \"ballot_vote_ballot_id_foreign\" foreign key (\"ballot_id\") references \"ballot\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"ballot_vote\" add constraint \"ballot_vote_question_id_foreign\" foreign key (\"question_id\") references \"ballot_question\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"ballot_vote\" add constraint \"ballot_vote_voter_id_foreign\" foreign key (\"voter_id\") references \"ballot_voter\" (\"id\") on update cascade on delete cascade");
    // Trust lives in the database: a revision is in at most one undecided question, terms are sane, a REJECT has a reason.
    this.addSql('create unique index "ballot_question_pending_revision_unique" on "ballot_question" ("revision_id") where "outcome" is null');
    this.addSql('alter table "ballot" add constraint "ballot_closes_after_opens" check ("closes_at" > "opens_at")');
    this.addSql('alter table "ballot" add constraint "ballot_shares_valid" check ("quorum_denominator" > 0 and "quorum_numerator" between 0 and "quorum_denominator" and "share_denominator" > 0 and "share_numerator" between 0 and "share_denominator")');
    this.addSql('alter table "ballot_question" add constraint "ballot_question_counters_not_negative" check ("approve_count" >= 0 and "reject_count" >= 0 and "abstain_count" >= 0)');
    this.addSql('alter table "ballot_voter" add constraint "ballot_voter_person_or_organization" check (("user_id" is null) <> ("organization_id" is null))');
    this.addSql(`alter table "ballot_vote" add constraint "ballot_vote_reject_has_reason" check ("choice" <> 'REJECT' or length(btrim(coalesce("reason", ''))) > 0)`);
    // The tally: counters moved by every vote written, in the vote's own transaction. A decided
    // question refuses any vote change, so a closed ballot is immutable whatever code writes.
    this.addSql(`create function ballot_vote_tally() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    update ballot_question set
      approve_count = approve_count - (old.choice = 'APPROVE')::int,
      reject_count = reject_count - (old.choice = 'REJECT')::int,
      abstain_count = abstain_count - (old.choice = 'ABSTAIN')::int
    where id = old.question_id and outcome is null;
    if not found and tg_op = 'UPDATE' then raise exception 'ballot question % is decided', old.question_id using errcode = '55000'; end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update ballot_question set
      approve_count = approve_count + (new.choice = 'APPROVE')::int,
      reject_count = reject_count + (new.choice = 'REJECT')::int,
      abstain_count = abstain_count + (new.choice = 'ABSTAIN')::int
    where id = new.question_id and outcome is null;
    if not found then raise exception 'ballot question % is decided', new.question_id using errcode = '55000'; end if;
  end if;
  return null;
end $$`);
    this.addSql('create trigger ballot_vote_tally after insert or update or delete on ballot_vote for each row execute function ballot_vote_tally()');
  }
}
