#!/usr/bin/env node
// The `leakproof` command: see src/cli/main.ts.
require('../dist/src/cli/main.js').main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`leakproof: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 2; },
);
