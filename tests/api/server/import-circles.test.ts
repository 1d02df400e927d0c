import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The API's sources, the web's TypeScript modules (its .svelte files are not scanned) and the tests. */
const SOURCES = ['api/src/', 'web/src/', 'tests/'].map((dir) => join(ROOT, dir));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['migrations', 'node_modules', 'out'].includes(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each module's imports of the others (relative, or the web's `$lib/`), type-only and dynamic ones included (TypeScript's own scanner). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const targets = importedFiles
        .map((i) => i.fileName)
        // The web's `$lib/…` is its src/lib folder.
        .map((name) => (name.startsWith('$lib/') ? join(ROOT, 'web/src/lib', name.slice(5)) : name.startsWith('.') ? resolve(dirname(file), name) : null))
        .filter((path): path is string => path !== null)
        .map((path) => path.replace(/\.js$/, '.ts'))
        .map((path) => [path, `${path}.ts`, join(path, 'index.ts')].find((candidate) => known.has(candidate)))
        .filter((path): path is string => path !== undefined);
      return [file, targets];
    }),
  );
}

/** The graph's strongly connected components of more than one module, or one that imports itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.map((f) => relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the modules of the API, the web and the tests', () => {
  it('import one another without a circle, type-only imports included', () => {
    const graph = importGraph(SOURCES.flatMap(sourceFiles));
    expect(graph.size).toBeGreaterThan(500);
    expect([...graph.values()].flat().length).toBeGreaterThan(2000);
    expect(circles(graph)).toEqual([]);
  });

  it('a circle is found when there is one', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts']],
      ['/d.ts', ['/a.ts']],
    ]);
    expect(circles(graph).length).toBe(1);
    expect(circles(graph)[0]).toHaveLength(3);
  });
});
