import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the query asks for the field at `path` (`totalCount`, `edges.node.thread`) under the
 * field being resolved, through fragments too, so a resolver can read it in the statement it
 * sends anyway.
 */
export function selectsField(info: GraphQLResolveInfo, path: string): boolean {
  const fieldsNamed = (set: SelectionSetNode | undefined, name: string): FieldNode[] =>
    (set?.selections ?? []).flatMap((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name ? [s] : [];
      if (s.kind === Kind.INLINE_FRAGMENT) return fieldsNamed(s.selectionSet, name);
      return fieldsNamed(info.fragments[s.name.value]?.selectionSet, name);
    });
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of path.split('.')) level = level.flatMap((node) => fieldsNamed(node.selectionSet, name));
  return level.length > 0;
}
