// A lab recording job in one process: runs each listed case (clean, or a leak kind at a size) and prints one JSON line per run.
// Usage (by record.js): node recordWorker.js '<job JSON>'; also loaded inside a Jest worker by jestRecording.test.js.
const { LEAKS, CLEAN } = require('../detector/cases');
const { LAB_LEAKS, LAB_CLEAN } = require('./labCases');
const { recordRun } = require('./recordRun');

/** Runs the job's cases in order; `emit` gets each run's record (the case, the environment, the recording). */
async function runJob(job, emit) {
  for (const c of job.cases) {
    let fn;
    let cleanup = () => undefined;
    if (c.type === 'clean') {
      fn = c.lab ? LAB_CLEAN[c.name]() : CLEAN[c.name].make();
    } else if (c.lab) {
      const made = LAB_LEAKS[c.name]();
      fn = made.fn;
      cleanup = made.cleanup;
    } else {
      const made = LEAKS[c.name].make(c.size);
      fn = made.fn;
      cleanup = made.cleanup;
    }
    const t0 = performance.now();
    try {
      const rec = await recordRun(fn, { maxHorizon: job.maxHorizon, interval: job.interval });
      emit({
        ...c,
        env: job.env,
        condition: job.condition,
        process: job.process,
        node: process.version,
        wallMs: Math.round(performance.now() - t0),
        ...rec,
      });
    } catch (err) {
      emit({
        ...c,
        env: job.env,
        condition: job.condition,
        process: job.process,
        error: String((err && err.stack) || err),
      });
    } finally {
      cleanup();
    }
  }
}

module.exports = { runJob };

if (require.main === module) {
  const job = JSON.parse(process.argv[2]);
  runJob(job, (r) => process.stdout.write(JSON.stringify(r) + '\n')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
