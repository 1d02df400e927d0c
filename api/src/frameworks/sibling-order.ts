/**
 * Puts `item` at `position` among `siblings` (which may or may not already hold it) and numbers
 * them 0, 1, 2… again, so positions stay dense whatever was moved where. Returns the new order.
 */
export function placeAmongSiblings<T extends { position: number }>(siblings: T[], item: T, position: number | null | undefined): T[] {
  const others = siblings.filter((s) => s !== item).sort((a, b) => a.position - b.position);
  const at = Math.max(0, Math.min(position ?? others.length, others.length));
  const ordered = [...others.slice(0, at), item, ...others.slice(at)];
  ordered.forEach((s, i) => (s.position = i));
  return ordered;
}

/** Numbers what is left after an item leaves its siblings. */
export function closeGap<T extends { position: number }>(siblings: T[], leaving: T): void {
  siblings
    .filter((s) => s !== leaving)
    .sort((a, b) => a.position - b.position)
    .forEach((s, i) => (s.position = i));
}
