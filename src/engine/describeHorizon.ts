// The sequential verdict's horizon in words: moved to src/kernel/describeHorizon.ts (pure formatting for every face);
// re-exported here for code that imports it from the engine.
export { describeHorizon } from '../kernel/describeHorizon';
