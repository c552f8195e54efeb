// leakproof/matchers: the matcher for manual `expect.extend`, and its types. Re-exports only.
export { toLeakMemory } from './toLeakMemory';
export type { LeakMatcherOptions } from './types';
/**
 * @deprecated Exported from leakproof/matchers by accident: the failure-message builder is internal and its input type
 * may change. Kept so existing imports keep working; it will be removed in a future major version.
 */
export { formatLeakMessage } from './formatLeakMessage';
