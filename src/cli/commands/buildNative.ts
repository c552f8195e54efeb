// `leakproof build-native`: compiles the addon from the shipped sources with cmake-js, for platforms without a prebuild.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { packageRoot, prebuildTag } from '../../native';
import { CliError } from '../CliError';

/** Exit codes: 0 built (or already loadable), 1 the build failed, 2 cmake-js or the sources are missing. */
export const BUILD_NATIVE_EXIT = { ok: 0, failed: 1, missing: 2 } as const;

function runBuildNative(): void {
  const root = packageRoot();
  if (!fs.existsSync(path.join(root, 'native', 'CMakeLists.txt'))) {
    throw new CliError(`native sources not found under ${root}/native`, BUILD_NATIVE_EXIT.missing);
  }
  let cmakeJs: string;
  try {
    cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  } catch {
    throw new CliError(
      'cmake-js is not installed next to leakproof (it is one of its dependencies; reinstall the package)',
      BUILD_NATIVE_EXIT.missing,
    );
  }
  const out = path.join('native', 'build');
  process.stderr.write(
    `leakproof build-native: cmake-js compile -d native --out ${out} (in ${root}; platform ${prebuildTag()})\n`,
  );
  const r = spawnSync(process.execPath, [cmakeJs, 'compile', '-d', 'native', '--out', out], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    throw new CliError(
      `the native build failed (exit ${r.status ?? r.signal}); it needs cmake ≥ 3.15 and a C++17 compiler`,
      BUILD_NATIVE_EXIT.failed,
    );
  }
  process.stdout.write(`leakproof build-native: built ${path.join(root, out, 'Release', 'leakproof.node')}\n`);
}

export function register(program: Command): void {
  program
    .command('build-native')
    .description('compile the native addon from source (cmake-js) where the package has no prebuild for this platform')
    .action(() => runBuildNative());
}
