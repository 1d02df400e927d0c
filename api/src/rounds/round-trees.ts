import type { EntityData } from '@mikro-orm/core';
import type { Section } from '../frameworks/section.entity.js';
import type { IndicatorStatus } from '../indicators/indicator.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import type { Locale } from '../users/user.entity.js';

/** A pinned version with its indicator and the indicator's current title, as one row. */
export interface PinnedRow {
  id: string;
  round_id: string;
  indicator_version_id: string;
  position: number;
  comment_count: number;
  undisposed_count: number;
  indicator_id: string;
  code: string;
  indicator_position: number;
  status: IndicatorStatus;
  created_at: Date | string;
  framework_id: string;
  section_id: string;
  current_version_id: string | null;
  title: LocalizedText | null;
  source_language: Locale;
  /** `round_tree_revision` in the statement's snapshot. */
  revision: string;
}

export interface RoundTree {
  revision: string;
  /** In round order; their counters are as of the read and are not shown from here. */
  rows: PinnedRow[];
  sections: EntityData<Section>[];
}

/**
 * The process's copy of each round's indicator tree (codes, titles, sections: what a round page
 * shows besides the counters), tagged with the `round_tree_revision` it was read at. A request
 * reads the revision with the counters; the tree is read again only when the revision moved.
 */
export class RoundTrees {
  private readonly trees = new Map<string, RoundTree>();

  constructor(private readonly capacity = 64) {}

  /** The round's tree if it was read at `revision`. */
  get(roundId: string, revision: string): RoundTree | undefined {
    const tree = this.trees.get(roundId);
    if (tree?.revision !== revision) return undefined;
    // Least recently used goes first: a Map iterates in insertion order.
    this.trees.delete(roundId);
    this.trees.set(roundId, tree);
    return tree;
  }

  set(roundId: string, tree: RoundTree) {
    this.trees.delete(roundId);
    this.trees.set(roundId, tree);
    if (this.trees.size > this.capacity) this.trees.delete(this.trees.keys().next().value!);
  }
}
