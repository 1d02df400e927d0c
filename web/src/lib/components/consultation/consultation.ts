import type { CommentFieldsFragment, CommentType, DispositionStatus, IndicatorField, RatingValue } from '$lib/graphql/generated';

/** A comment with its replies, nested as deep as the page asked for. */
export type ThreadComment = CommentFieldsFragment & { replies?: ThreadComment[] };

export const COMMENT_TYPES: CommentType[] = ['GENERAL', 'TECHNICAL', 'EDITORIAL'];
export const DISPOSITIONS: DispositionStatus[] = ['ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED', 'NOTED', 'DUPLICATE'];
export const RATING_VALUES: RatingValue[] = ['ESSENTIAL', 'USEFUL', 'NOT_RELEVANT', 'NO_OPINION'];
export const FIELDS: IndicatorField[] = ['TITLE', 'STATEMENT', 'RATIONALE', 'MEASUREMENT', 'VERIFICATION', 'DATA_SOURCE', 'LEVELS'];

/** A top-level comment with its flat thread (as the API sends it) → the same comment with nested replies. */
export function threadTree(comment: CommentFieldsFragment & { thread: CommentFieldsFragment[] }): ThreadComment {
  const children = new Map<string, ThreadComment[]>();
  for (const reply of comment.thread) {
    const siblings = children.get(reply.parentId!) ?? [];
    siblings.push({ ...reply });
    children.set(reply.parentId!, siblings);
  }
  const attach = (c: ThreadComment): ThreadComment => ({ ...c, replies: (children.get(c.id) ?? []).map(attach) });
  const { thread: _flat, ...top } = comment;
  return attach(top);
}

export interface Highlight {
  commentId: string;
  start: number;
  end: number;
}

export interface Segment {
  text: string;
  /** Comments whose passage covers this piece; empty for plain text. */
  commentIds: string[];
}

/** Cuts a text at every highlight boundary, so overlapping passages each stay marked. */
export function segments(text: string, highlights: Highlight[]): Segment[] {
  const cuts = new Set([0, text.length]);
  for (const h of highlights) {
    cuts.add(h.start);
    cuts.add(h.end);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    if (from === to) continue;
    out.push({ text: text.slice(from, to), commentIds: highlights.filter((h) => h.start <= from && h.end >= to).map((h) => h.commentId) });
  }
  return out;
}

/**
 * The offsets of the current selection inside `container`'s text (marks and spans inside it do not
 * count): what the API's TextPositionSelector wants. Null unless the selection lies within it.
 */
export function selectionOffsets(container: HTMLElement, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return { start, end: start + range.toString().length };
}
