// leakproof/vitest: a Vitest setup file (test.setupFiles) that registers toLeakMemory and GC without flags in each worker.
// ESM because it imports `vitest` (ESM only); the work is done by the CommonJS build it loads.
import { createRequire } from 'node:module';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const { installLeakproof } = require('../dist/src/vitest/install.js');

installLeakproof({ expect });
