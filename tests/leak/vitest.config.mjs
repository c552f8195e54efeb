// `npm run leaks:vitest`: the same bundled leak suites as `npm run leaks`, unchanged, under Vitest through the package's
// withLeakproof (setup file, forks pool, reporter). `globals: true` is the whole adapter: the suites use Jest's globals
// (test, describe, expect, beforeAll, afterAll), which Vitest provides under the same names.
// LEAKPROOF_LONG=1 runs the endurance suite instead; LEAKPROOF_LEAK_REPORT_DIR moves the report folder.
import { createRequire } from 'node:module';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

// Through require: Vite bundles a config's relative imports, and the helper is CommonJS that must load as is.
const require = createRequire(import.meta.url);
const { withLeakproof } = require('../../dist/src/vitest/config.js');

const root = fileURLToPath(new URL('../..', import.meta.url));
const long = process.env.LEAKPROOF_LONG === '1';

export default withLeakproof(
  {
    test: {
      root,
      include: long ? ['tests/leak/endurance/**/*.leak.test.ts'] : ['tests/leak/suites/**/*.leak.test.ts'],
      globals: true,
      testTimeout: long ? 1_800_000 : 300_000,
      hookTimeout: 120_000,
    },
  },
  { reporter: { outputDir: process.env.LEAKPROOF_LEAK_REPORT_DIR || 'leak-report/vitest' } },
);
