// leakproof/vitest: a Vitest setup file (test.setupFiles) that registers toLeakMemory, GC without flags and the test
// scopes (a measurement ends with its test) in each worker. ESM because it imports `vitest` (ESM only); the work is
// done by the CommonJS build it loads.
import { createRequire } from 'node:module';
import { TestRunner, beforeEach, expect } from 'vitest';

const require = createRequire(import.meta.url);
const { installLeakproof } = require('../dist/src/vitest/install.js');

installLeakproof({ expect, beforeEach, getCurrentTest: () => TestRunner.getCurrentTest() });
