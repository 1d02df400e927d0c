import type { RoundIndicator } from './round-indicator.js';

declare module '../context.js' {
  interface AppServices {
    /** Each round's indicator tree, read again only when it changes. */
    roundTrees: RoundTrees;
  }
}

export interface RoundTree {
  revision: string;
  /** In round order, with their indicators and sections; their counters are as of the read and are not shown from here. */
  indicators: RoundIndicator[];
}

/**
 * The process's copy of each round's indicator tree (codes, titles, sections: what a round page
 * shows besides the counters), tagged with its framework’s `framework_tree_revision` when read. A request
 * reads the revision with the counters; the tree is read again only when the revision moved. Its
 * objects are shared by concurrent requests and never changed.
 */
export class RoundTrees {
  private readonly trees = new Map<string, RoundTree>();

  constructor(private readonly capacity: number) {}

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
