// The Vitest entry points' types resolve as published: leakproof/vitest-config and /vitest-reporter under node10
// (typesVersions) and bundler; the leakproof/vitest augmentation (toLeakMemory on Vitest's expect) under node16
// and bundler, the settings Vitest's own types need. Compiled against the built dist/ through a node_modules link.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const repoRoot = path.resolve(__dirname, '..', '..');

const configConsumer = `
import { withLeakproof, type WithLeakproofOptions } from 'leakproof/vitest-config';
import { LeakproofVitestReporter } from 'leakproof/vitest-reporter';
const options: WithLeakproofOptions = { pool: 'threads', reporter: { outputDir: 'out' } };
export const config = withLeakproof({ test: { include: ['x'] } }, options);
export const reporter = new LeakproofVitestReporter({ formats: ['json'] });
`;

// What docs/vitest.md shows: the helper's result goes straight into Vitest's defineConfig, object or function form.
const defineConfigConsumer = `
import { defineConfig } from 'vitest/config';
import { withLeakproof } from 'leakproof/vitest-config';
export const object = defineConfig(withLeakproof({ test: { include: ['test/**/*.test.ts'], pool: 'threads', setupFiles: './mine.ts' } }));
export const fn = defineConfig(withLeakproof(({ mode }) => ({ test: { name: mode } })));
`;

const matcherConsumer = `
import { expect, test } from 'vitest';
import type { LeakMatcherOptions } from 'leakproof/vitest';
const options: LeakMatcherOptions = { threshold: 1024, iterations: 50 };
test('types', async () => {
  await expect(() => 0).not.toLeakMemory(options);
  await expect(async () => undefined).toLeakMemory(4096);
  // @ts-expect-error the threshold is a number or an options object
  await expect(() => 0).not.toLeakMemory('4k');
});
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-vitest-types-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'leakproof'), 'dir');
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'), 'dir');
  fs.writeFileSync(path.join(dir, 'config.ts'), configConsumer);
  fs.writeFileSync(path.join(dir, 'define-config.ts'), defineConfigConsumer);
  fs.writeFileSync(path.join(dir, 'matcher.ts'), matcherConsumer);
  fs.writeFileSync(
    path.join(dir, 'no-types.ts'),
    matcherConsumer.replace(
      "import type { LeakMatcherOptions } from 'leakproof/vitest';",
      'type LeakMatcherOptions = object;',
    ),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function diagnostics(file: string, moduleResolution: ts.ModuleResolutionKind, module: ts.ModuleKind): string[] {
  const program = ts.createProgram([path.join(dir, file)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    module,
    moduleResolution,
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// (node16 in ES module mode is compiled by tsc in tests/integration/vitest-consumer.test.ts.)
test.each([
  ['node10', ts.ModuleResolutionKind.Node10, ts.ModuleKind.CommonJS],
  ['bundler', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext],
] as const)('withLeakproof and the reporter class type-check under %s', (_name, resolution, module) => {
  expect(diagnostics('config.ts', resolution, module)).toEqual([]);
});

test.each([
  ['node16 (a CommonJS project)', ts.ModuleResolutionKind.Node16, ts.ModuleKind.Node16],
  ['bundler', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext],
] as const)("importing leakproof/vitest puts toLeakMemory on Vitest's expect under %s", (_name, resolution, module) => {
  expect(diagnostics('matcher.ts', resolution, module)).toEqual([]);
});

test("withLeakproof results are accepted by Vitest's defineConfig (bundler)", () => {
  expect(diagnostics('define-config.ts', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext)).toEqual([]);
});

test('without leakproof/vitest, toLeakMemory is a type error (the check can fail)', () => {
  expect(diagnostics('no-types.ts', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext).join('\n')).toMatch(
    /Property 'toLeakMemory' does not exist/,
  );
});
