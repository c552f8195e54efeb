#!/usr/bin/env node
// The `leakproof` command: see src/cli/main.ts.
// Node 22.1+ can cache the compiled code of the modules the CLI loads (node:module.enableCompileCache, in the OS temp
// folder, or NODE_COMPILE_CACHE); on older Node (20) there is no such cache and this is skipped.
const { enableCompileCache } = require('node:module');
if (typeof enableCompileCache === 'function') {
  try {
    enableCompileCache();
  } catch {
    // A cache that cannot be created only costs speed.
  }
}
require('../dist/src/cli/main.js')
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`leakproof: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
