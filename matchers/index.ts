// leakproof/matchers: the matcher for manual `expect.extend`, and its types. Re-exports only.
export { toLeakMemory } from './toLeakMemory';
export type { LeakMatcherOptions } from './types';
export { formatLeakMessage } from './formatLeakMessage';
