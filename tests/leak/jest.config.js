// `npm run leaks`: the bundled leak suites for the GPR codec, run through the `leakproof` preset exactly as a user's
// project would use it (environment with GC, runner, matchers, reporter with heap-growth tables).
// LEAKPROOF_LONG=1 (`npm run leaks:long`) runs the opt-in endurance suite instead.
// LEAKPROOF_LEAK_REPORT_DIR moves the report folder (the injection proof writes its runs elsewhere).
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const long = process.env.LEAKPROOF_LONG === '1';
const reportDir = process.env.LEAKPROOF_LEAK_REPORT_DIR || 'leak-report';

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  // The package's jest-preset.js: the same file `{ "preset": "leakproof" }` resolves to.
  preset: '<rootDir>/jest-preset.js',
  roots: ['<rootDir>/tests/leak'],
  testMatch: long ? ['**/tests/leak/endurance/**/*.leak.test.ts'] : ['**/tests/leak/suites/**/*.leak.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // The preset's reporters, with the report folder configurable.
  reporters: ['default', [path.join(root, 'dist', 'reporter', 'index.js'), { outputDir: reportDir }]],
  testTimeout: long ? 1_800_000 : 300_000,
};
