// One benchmark job in a fresh process: runs a leak kind or a clean case through leakproof's detectLeak or leakage.
// Usage (by run.js): node worker.js '<job JSON>'; prints one JSON line with the results.
const Module = require('node:module');
const path = require('node:path');
// run.js passes a private copy of dist/ (LEAKPROOF_BENCH_DIST); run by hand, the repo's own.
const dist = process.env.LEAKPROOF_BENCH_DIST || path.join(__dirname, '..', '..', 'dist');
const { detectLeak } = require(path.join(dist, 'src', 'engine', 'detectLeak'));
const { LEAKS, CLEAN } = require('./cases');

const job = JSON.parse(process.argv[2]);

/** leakage from the temp install; with `shim`, its memwatch dependency is answered by memwatchShim.js. */
function loadLeakage(dir, shim) {
  if (shim) {
    const original = Module._resolveFilename;
    Module._resolveFilename = function resolve(request, ...rest) {
      if (request === '@aidemaster/node-memwatch') return path.join(__dirname, 'memwatchShim.js');
      return original.call(this, request, ...rest);
    };
  }
  return require(path.join(dir, 'node_modules', 'leakage'));
}

async function verdict(engine, fn, sync) {
  const started = performance.now();
  if (engine === 'leakproof') {
    // Allocation sites off: this bench times the verdict, which the optional profile after it would inflate.
    // `rule` is the bench-only switch between the sequential verdict ('adaptive', the default) and 0.1's fixed horizon.
    const d = await detectLeak(fn, { allocationSites: false, ...(job.rule ? { horizon: job.rule } : {}) });
    if (d.error) throw d.error;
    return {
      leak: d.leak,
      durationMs: d.durationMs - d.calibrationMs,
      calibrationMs: d.calibrationMs,
      iterations: d.iterations,
      stopReason: d.horizon.stopReason,
      // Deciding metrics only: at defaults rss is measured but does not decide, and its decision is for the record.
      undecided: d.metrics.filter((m) => m.decision === 'undecided' && m.metric !== 'rss').map((m) => m.metric),
      leaking: d.metrics.filter((m) => m.leak).map((m) => m.metric),
      slopes: Object.fromEntries(d.metrics.map((m) => [m.metric, m.slope])),
    };
  }
  const leakage = loadLeakage(job.leakageDir, engine === 'leakage-shim');
  try {
    if (sync) leakage.iterate(fn);
    else await leakage.iterate.async(fn);
    return { leak: false, durationMs: performance.now() - started };
  } catch (err) {
    if (err instanceof leakage.MemoryLeakError) return { leak: true, durationMs: performance.now() - started };
    throw err;
  }
}

async function main() {
  const out = [];
  if (job.type === 'leak') {
    const kind = LEAKS[job.kind];
    for (let r = 0; r < job.reps; r++) {
      const w = kind.make(job.size);
      try {
        out.push(await verdict(job.engine, w.fn, w.sync));
      } finally {
        w.cleanup();
      }
    }
  } else {
    const c = CLEAN[job.name];
    const fn = c.make();
    for (let r = 0; r < job.runs; r++) out.push(await verdict(job.engine, fn, c.sync));
  }
  process.stdout.write(JSON.stringify({ ok: true, results: out }) + '\n');
}

main().catch((err) => {
  process.stdout.write(
    JSON.stringify({
      ok: false,
      error: String(err && err.stack ? err.stack.split('\n').slice(0, 3).join(' | ') : err),
    }) + '\n',
  );
  process.exitCode = 0;
});
