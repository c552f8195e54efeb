// One recorded run for the verdict lab: every sample row of the aggregate counters, the survival counts at each look,
// and where the time went, over a fixed ladder of looks (no verdict is taken, so a replay can try any stopping rule).
const path = require('node:path');

const dist = process.env.LEAKPROOF_BENCH_DIST || path.join(__dirname, '..', '..', 'dist');
const { SampleRun, settle } = require(path.join(dist, 'src', 'engine', 'sampler'));
const { SurvivalSampler } = require(path.join(dist, 'src', 'engine', 'survivalSampler'));
const { getGc } = require(path.join(dist, 'src', 'engine', 'gc'));
const { suspendPretenuring } = require(path.join(dist, 'src', 'engine', 'pretenuring'));
const { METRIC_NAMES } = require(path.join(dist, 'src', 'engine', 'metrics'));

/** The engine's defaults: 20 warm-up calls, a first window of 200, 20 rows per stage, the horizon doubling per look. */
const PLAN = { warmup: 20, firstWindow: 200, samplesPerStage: 20 };

/**
 * Records fn up to `maxHorizon` measured calls. Returns plain JSON: `x` (calls done at each row), `rows` (one array of
 * readings per row, in `metrics` order), `looks` (survival reading after each stage: per batch count and bytes),
 * `stages` (fn time and settle time per stage, ms), `interval`, and why survival counts are missing when they are.
 */
async function recordRun(fn, { maxHorizon = 6400, interval = 1024, gc = getGc() } = {}) {
  const restore = suspendPretenuring();
  const started = await SurvivalSampler.start(interval);
  const survival = started instanceof SurvivalSampler ? started : undefined;
  const stagesCount = Math.round(Math.log2(maxHorizon / PLAN.firstWindow)) + 1;
  // A boundary at every row (the finest the engine can take): the replay merges them to try coarser ones.
  const run = new SampleRun(fn, gc, 1 + PLAN.samplesPerStage * stagesCount, { survival, survivalEvery: 1 });
  const looks = [];
  const stages = [];
  try {
    await run.start(PLAN.warmup, maxHorizon);
    for (let h = PLAN.firstWindow; h <= maxHorizon; h *= 2) {
      const before = { ...run.timing };
      const t0 = performance.now();
      await run.extend(h, PLAN.samplesPerStage, maxHorizon);
      let readMs = 0;
      if (survival) {
        const t1 = performance.now();
        await settle(gc);
        const r = await survival.read();
        readMs = performance.now() - t1;
        looks.push({
          horizon: h,
          count: r.count,
          bytes: r.bytes.map(Math.round),
          harness: r.harness,
          internal: r.internal,
          before: r.before,
          after: r.after,
        });
      }
      stages.push({
        horizon: h,
        fnMs: +(run.timing.batchMs - before.batchMs).toFixed(2),
        settleMs: +(run.timing.settleMs - before.settleMs).toFixed(2),
        readMs: +readMs.toFixed(2),
        wallMs: +(performance.now() - t0).toFixed(2),
      });
    }
  } finally {
    if (survival) await survival.stop();
    restore();
  }
  const rows = [];
  for (let r = 0; r < run.rows; r++)
    rows.push(Array.from(run.values.subarray(r * METRIC_NAMES.length, (r + 1) * METRIC_NAMES.length)));
  return {
    metrics: METRIC_NAMES,
    x: Array.from(run.x.subarray(0, run.rows)),
    rows,
    looks,
    stages,
    interval,
    ...(survival ? {} : { survivalUnavailable: started.unavailable }),
  };
}

module.exports = { recordRun, PLAN };
