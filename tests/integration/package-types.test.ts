// The published type entry points resolve for TypeScript users under every moduleResolution they may use: `node10`
// (the classic `node` setting, which ignores `exports` and needs package.json `typesVersions` for subpaths), `node16`
// and `bundler`. Compiled with the TypeScript API against the built `dist/` through a node_modules link to this repo.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const repoRoot = path.resolve(__dirname, '..', '..');

const consumer = `
import 'leakproof/matchers';
import { GprImage, GprError, encodeGpr } from 'leakproof/gpr';
import { measureMemoryUsage, LeakproofError, type LeakMatcherOptions } from 'leakproof';
import type { LeakReporterOptions } from 'leakproof/reporter';
export async function check(): Promise<void> {
  const options: LeakMatcherOptions = { threshold: 1024, metrics: ['heap', 'native'] };
  await expect(() => 0).not.toLeakMemory(options);
  await measureMemoryUsage(() => 0);
  const reporter: LeakReporterOptions = {};
  const img: GprImage = GprImage.open(Buffer.alloc(0));
  const code: string = new GprError('GPR_E_FORMAT', 'x').code;
  void reporter; void img.width; void code; void encodeGpr; void LeakproofError;
}
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-types-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'leakproof'), 'dir');
  fs.writeFileSync(path.join(dir, 'consumer.ts'), consumer);
  fs.writeFileSync(
    path.join(dir, 'missing.ts'),
    "import * as missing from 'leakproof/no-such-subpath';\nvoid missing;\n",
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function diagnostics(file: string, moduleResolution: ts.ModuleResolutionKind, module: ts.ModuleKind): string[] {
  const program = ts.createProgram([path.join(dir, file)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
    module,
    moduleResolution,
    types: ['jest', 'node'],
    typeRoots: [path.join(repoRoot, 'node_modules', '@types')],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const settings: Array<[string, ts.ModuleResolutionKind, ts.ModuleKind]> = [
  ['node10', ts.ModuleResolutionKind.Node10, ts.ModuleKind.CommonJS],
  ['node16', ts.ModuleResolutionKind.Node16, ts.ModuleKind.Node16],
  ['bundler', ts.ModuleResolutionKind.Bundler, ts.ModuleKind.ESNext],
];

describe.each(settings)('moduleResolution %s', (_name, resolution, module) => {
  test('the root, matchers, gpr and reporter entry points type-check', () => {
    expect(diagnostics('consumer.ts', resolution, module)).toEqual([]);
  });

  test('an unknown subpath is a compile error (the check can fail)', () => {
    expect(diagnostics('missing.ts', resolution, module).join('\n')).toMatch(
      /Cannot find module 'leakproof\/no-such-subpath'/,
    );
  });
});
