import type { RoundSetupFormQuery, SetupIndicatorFragment } from '$lib/graphql/generated';

export type SetupFramework = NonNullable<RoundSetupFormQuery['framework']>;
type Node = { id: string; code: string; title: { value: string; language: string }; indicators: SetupIndicatorFragment[]; children?: Node[] };
export interface SetupSection {
  id: string;
  code: string;
  title: { value: string; language: string };
  depth: number;
  /** Its own indicators that can be consulted (not retired, with a version that is not rejected). */
  indicators: SetupIndicatorFragment[];
  /** Every consultable indicator at any depth below it, for "select all". */
  all: string[];
}

/** The framework's sections, depth first, each with the indicators a round may pin. */
export function setupSections(framework: SetupFramework): SetupSection[] {
  const out: SetupSection[] = [];
  const walk = (nodes: Node[], depth: number): string[] => {
    const ids: string[] = [];
    for (const node of nodes) {
      const indicators = node.indicators.filter((i) => i.status !== 'RETIRED' && offered(i).length > 0);
      const section: SetupSection = { id: node.id, code: node.code, title: node.title, depth, indicators, all: [] };
      out.push(section);
      section.all = [...indicators.map((i) => i.id), ...walk(node.children ?? [], depth + 1)];
      ids.push(...section.all);
    }
    return ids;
  };
  walk(framework.sections as Node[], 0);
  return out;
}

/** The versions a round may pin, newest first. */
export function offered(indicator: SetupIndicatorFragment) {
  return indicator.versions.filter((v) => v.status !== 'REJECTED');
}
