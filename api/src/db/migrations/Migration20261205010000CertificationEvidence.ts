import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence files of certification answers: each row names a file by the SHA-256 of its bytes (the
 * bytes live in the file store, storage/), the answer's indicator it backs, and, when it answers a
 * reviewer's request for more evidence, that request. The files of a submitted assessment are part of
 * its snapshot: none is changed or removed, and new ones come only with an open evidence request.
 */
export class Migration20261205010000CertificationEvidence extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "certification_evidence_file" ("id" uuid not null, "assessment_id" uuid not null, "scheme_indicator_id" uuid not null, "evidence_request_id" uuid null, "sha256" char(64) not null, "size" int not null, "content_type" text not null, "file_name" text not null, "note" text not null default '', "uploaded_by_id" uuid not null, "uploaded_at" timestamptz not null, constraint "certification_evidence_file_pkey" primary key ("id"), constraint "certification_evidence_file_sha256" check ("sha256" ~ '^[0-9a-f]{64}$'), constraint "certification_evidence_file_size" check ("size" > 0), constraint "certification_evidence_file_content_type" check ("content_type" in ('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/png', 'image/jpeg')))`);
    this.addSql('create index "certification_evidence_file_assessment_id_scheme_indicator_id_index" on "certification_evidence_file" ("assessment_id", "scheme_indicator_id")');
    this.addSql('alter table "certification_evidence_file" add constraint "certification_evidence_file_assessment_id_foreign" foreign key ("assessment_id") references "certification_assessment" ("id") on update cascade');
    this.addSql('alter table "certification_evidence_file" add constraint "certification_evidence_file_scheme_indicator_id_foreign" foreign key ("scheme_indicator_id") references "certification_scheme_indicator" ("id") on update cascade');
    this.addSql('alter table "certification_evidence_file" add constraint "certification_evidence_file_evidence_request_id_foreign" foreign key ("evidence_request_id") references "certification_evidence_request" ("id") on update cascade');
    // A submitted assessment's files are frozen; a file is added after submission only with an open evidence request.
    this.addSql(`create function certification_evidence_file_frozen() returns trigger language plpgsql as $$
declare
  row_assessment uuid := case when tg_op = 'DELETE' then old.assessment_id else new.assessment_id end;
begin
  if tg_op <> 'INSERT' and exists (select 1 from "certification_assessment" a where a.id = old.assessment_id and a.submitted_at is not null) then
    raise exception 'the evidence of a submitted assessment is frozen' using errcode = '42501';
  end if;
  if tg_op <> 'DELETE' and exists (select 1 from "certification_assessment" a where a.id = row_assessment and a.submitted_at is not null)
     and not exists (select 1 from "certification_evidence_request" r where r.id = new.evidence_request_id and r.assessment_id = new.assessment_id and r.scheme_indicator_id = new.scheme_indicator_id and r.responded_at is null) then
    raise exception 'a submitted assessment takes new evidence only for an open evidence request on that indicator' using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$`);
    this.addSql('create trigger "certification_evidence_file_no_change" before insert or update or delete on "certification_evidence_file" for each row execute function certification_evidence_file_frozen()');
  }
}
