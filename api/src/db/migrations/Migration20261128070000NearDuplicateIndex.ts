import { Migration } from '@mikro-orm/migrations';

/**
 * Near-duplicates are no longer searched through a trigram index: a new comment is compared with
 * the groups' representatives and a bounded set of recent comments, and regrouping buckets the
 * round in the API (api/src/analysis/near-duplicate-links.ts). The index only slowed every insert.
 */
export class Migration20261128070000NearDuplicateIndex extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index if exists "comment_match_text_trgm_index"');
  }
}
