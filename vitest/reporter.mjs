// leakproof/vitest-reporter: the leak reporter for Vitest's `reporters` (a default-exported class, as Vitest loads it).
// ESM so that Vitest's `new (module.default)(options)` gets the class; the work is done by the CommonJS build.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { LeakproofVitestReporter } = require('../dist/src/vitest/reporter.js');

export { LeakproofVitestReporter };
export default LeakproofVitestReporter;
