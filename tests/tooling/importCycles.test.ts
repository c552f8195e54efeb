// No import cycle among the package's own modules (src/, matchers/, reporter/): the layers ESLint enforces say which
// way an import may point; this says no chain of value imports (static, or a lazy require) ever comes back to its start.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
// `import ... from './x'` / `export ... from './x'` (not `import type`), and `require('./x')`.
const IMPORT = /^(?:import|export)(?!\s+type\b)[^;'"]*?from\s+'(\.[^']+)'|require\('(\.[^']+)'\)/gm;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** file → the package files it imports (relative specifiers resolved to .ts or index.ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['src', 'matchers', 'reporter'].flatMap((d) => tsFiles(path.join(ROOT, d)))) {
    const deps: string[] = [];
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), m[1] ?? m[2]);
      const found = [`${target}.ts`, path.join(target, 'index.ts')].find((c) => fs.existsSync(c));
      if (found) deps.push(found);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, as the chain of files (relative to the repo). */
function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const found: string[] = [];
  const walk = (file: string, chain: string[]): void => {
    state.set(file, 'open');
    chain.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open')
        found.push([...chain.slice(chain.indexOf(dep)), dep].map((f) => path.relative(ROOT, f)).join(' -> '));
      else if (!state.has(dep)) walk(dep, chain);
    }
    chain.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) walk(file, []);
  return found;
}

test('the import graph of src/, matchers/ and reporter/ has no cycle', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(50);
  // The walk sees static imports and the CLI's lazy requires of its verbs, and skips type-only imports.
  const main = (graph.get(path.join(ROOT, 'src/cli/main.ts')) ?? []).map((f) => path.relative(ROOT, f));
  expect(main).toEqual(
    expect.arrayContaining(['src/cli/CliError.ts', 'src/cli/commands/merge.ts', 'src/cli/commands/check.ts']),
  );
  expect(graph.get(path.join(ROOT, 'src/model/leakRecord.ts'))).toEqual([]);
  expect(cycles(graph)).toEqual([]);
});

test('the check sees a cycle when there is one', () => {
  const a = path.join(ROOT, 'a.ts');
  const b = path.join(ROOT, 'b.ts');
  expect(
    cycles(
      new Map([
        [a, [b]],
        [b, [a]],
      ]),
    ),
  ).toEqual(['a.ts -> b.ts -> a.ts']);
});
