// The text report of a verdict: moved to src/kernel/formatVerdict.ts (shared with `leakproof check`); re-exported here.
export { formatVerdict, type VerdictSummary } from '../kernel/formatVerdict';
