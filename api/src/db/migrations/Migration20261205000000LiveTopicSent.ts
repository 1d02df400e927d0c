import { Migration } from '@mikro-orm/migrations';

/**
 * Each live topic's last sequence sent to subscribers (api/src/live/publish.ts): one dispatch job
 * per topic sends every event after it, however many writes that job gathered. Apart from
 * `live_topic`, whose row every writer of the topic holds until it commits. Topics that exist
 * already count as sent: their events went out through the jobs of each write.
 */
export class Migration20261205000000LiveTopicSent extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table "live_topic_sent" ("topic" varchar(120) primary key, "sequence" bigint not null)');
    this.addSql('insert into "live_topic_sent" ("topic", "sequence") select "topic", "last_sequence" from "live_topic"');
  }
}
