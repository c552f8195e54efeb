// Types of `leakproof/vitest` for CommonJS TypeScript projects: the same augmentation (index.d.mts, pulled in by the
// reference below, where 'vitest' resolves to its ES module types) and the same type exports.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an import of it would need a resolution-mode attribute
/// <reference path="./index.d.mts" />
export type { LeakMatcherOptions } from '../dist/matchers/options.js';
export type { LeakRecord } from '../dist/src/model/index.js';
