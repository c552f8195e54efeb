// The verdict lab's replay: runs leak rules over recorded runs in seconds. Clean recordings as they are (false leaks),
// and with synthetic leaks of known size added (misses: clean and undecided counted apart), per case and pooled.
//   node bench/lab/replay.js                              # every corpus file, the report half
//   options: --part tune|report|all (tune: even process indexes, report: odd), --files a.jsonl.gz,b..., --sizes 16,32,64,256,
//            --reps N (synthetic draws per recording and size, default 3), --rules survival,sequential, --json FILE,
//            --smallest-leak B (default 64), --boundary-every N (rows per survival batch, default 5 like the engine), --by-case (list the cases with a wrong or undecided verdict)
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const dist = process.env.LEAKPROOF_BENCH_DIST || path.join(__dirname, '..', '..', 'dist');
const { decideSurvival } = require(path.join(dist, 'src', 'stats', 'survivalVerdict'));
const { decideLook } = require(path.join(dist, 'src', 'stats', 'sequentialVerdict'));

const args = process.argv.slice(2);
const arg = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const part = arg('--part', 'report');
const sizes = arg('--sizes', '16,32,64,256').split(',').map(Number);
const reps = Number(arg('--reps', 3));
const boundaryEvery = Number(arg('--boundary-every', 5));
const rules = arg('--rules', 'survival,sequential').split(',');
const OPTS = {
  threshold: 64 * 1024,
  smallestLeak: Number(arg('--smallest-leak', 64)),
  firstWindow: 200,
  samplesPerStage: 20,
};

function loadCorpus(files) {
  const runs = [];
  for (const f of files) {
    const text = zlib.gunzipSync(fs.readFileSync(f)).toString('utf8');
    for (const line of text.split('\n')) if (line) runs.push({ ...JSON.parse(line), file: path.basename(f) });
  }
  return runs.filter((r) => !r.error && (part === 'all' || (part === 'tune') === (r.process % 2 === 0)));
}

/** Mulberry32: a small seeded generator, so a replay is repeatable. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function poisson(mean, rand) {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(rand)));
  const l = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > l; p *= rand()) k++;
  return k;
}
function gauss(rand) {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * A copy of the recording with a steady leak of `perCall` bytes per call, in objects of `objectSize` bytes, added: each
 * batch's sampled survivors drawn once (Poisson, as V8 samples) and present at every later look, and perCall × x added to
 * the heap readings (a smooth line: the page steps real leaks show in heapUsed are not modelled, which flatters the
 * sequential rule).
 */
function withLeak(run, perCall, objectSize, rand) {
  const I = run.interval;
  const p = -Math.expm1(-objectSize / I);
  const sampleBytes = objectSize / p;
  const batches = run.x.length - 1;
  const extra = [];
  for (let r = 0; r < batches; r++) extra.push(poisson(((run.x[r + 1] - run.x[r]) * perCall * p) / objectSize, rand));
  const looks = run.looks.map((l) => ({
    ...l,
    ends: l.ends ?? run.x.slice(0, l.count.length + 1),
    count: l.count.map((c, r) => c + extra[r]),
    bytes: l.bytes.map((b, r) => b + extra[r] * sampleBytes),
  }));
  const heapCol = run.metrics.indexOf('heap');
  const rows = run.rows.map((row, i) => row.map((v, c) => (c === heapCol ? v + perCall * run.x[i] : v)));
  return { ...run, looks, rows };
}

/**
 * A look's batches with only every `every`-th boundary kept (and each stage's last): the batches the engine would have
 * with `survivalEvery` = every, from a recording taken with a boundary at every row.
 */
function coarsen(look, x, every) {
  const ends = look.ends ?? x.slice(0, look.count.length + 1);
  const keepEnds = [ends[0]];
  const count = [];
  const bytes = [];
  let c = 0;
  let b = 0;
  for (let r = 0; r < look.count.length; r++) {
    c += look.count[r];
    b += look.bytes[r];
    const inStage = (r % 20) + 1; // batch r is closed by row r + 1, the inStage-th row of its stage
    if (inStage % every === 0 || inStage === 20 || r === look.count.length - 1) {
      keepEnds.push(ends[r + 1]);
      count.push(c);
      bytes.push(b);
      c = 0;
      b = 0;
    }
  }
  return { ends: keepEnds, count, bytes };
}

/** The survival rule, sequentially: the first look that decides. */
function replaySurvival(run, every = boundaryEvery) {
  let ms = 0;
  for (let k = 0; k < run.looks.length; k++) {
    const l = coarsen(run.looks[k], run.x, every);
    ms += run.stages[k].wallMs;
    const v = decideSurvival({
      x: l.ends,
      count: l.count,
      bytes: l.bytes,
      interval: run.interval,
      horizon: run.looks[k].horizon,
      look: k,
      firstWindow: OPTS.firstWindow,
      threshold: OPTS.threshold,
      smallestLeak: OPTS.smallestLeak,
    });
    if (v.decision !== 'undecided') return { decision: v.decision, look: k, ms };
  }
  return { decision: 'undecided', look: run.looks.length - 1, ms };
}

/** The current sequential rule on heapUsed (decideLook), without the control run's σ (not recorded). */
function replaySequential(run) {
  const col = run.metrics.indexOf('heap');
  let ms = 0;
  for (let k = 0; k < run.stages.length; k++) {
    ms += run.stages[k].wallMs - run.stages[k].readMs;
    const rows = 1 + OPTS.samplesPerStage * (k + 1);
    const x = Float64Array.from(run.x.slice(0, rows));
    const y = Float64Array.from(run.rows.slice(0, rows).map((r) => r[col]));
    const m = decideLook({
      metric: 'heap',
      unit: 'bytes',
      x,
      y,
      threshold: OPTS.threshold,
      deciding: true,
      controlSigma: 0,
      horizon: run.stages[k].horizon,
      look: k,
      smallestLeak: OPTS.smallestLeak,
    });
    if (m.decision !== 'undecided') return { decision: m.decision, look: k, ms };
  }
  return { decision: 'undecided', look: run.stages.length - 1, ms };
}

const REPLAY = { survival: replaySurvival, sequential: replaySequential };

function tally(outcomes) {
  const t = { n: outcomes.length, leak: 0, clean: 0, undecided: 0, ms: [] };
  for (const o of outcomes) {
    t[o.decision]++;
    t.ms.push(o.ms);
  }
  t.ms.sort((a, b) => a - b);
  t.medianMs = t.ms.length ? t.ms[t.ms.length >> 1] : NaN;
  delete t.ms;
  return t;
}

function main() {
  const dir = path.join(__dirname, 'corpus');
  const files = arg('--files')
    ? arg('--files').split(',')
    : fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl.gz'))
        .map((f) => path.join(dir, f));
  const runs = loadCorpus(files);
  const clean = runs.filter((r) => r.type === 'clean' && r.looks.length > 0);
  const realLeaks = runs.filter((r) => r.type === 'leak' && r.looks.length > 0);
  const result = { part, files: files.map((f) => path.basename(f)), runs: runs.length, rules: {} };
  const rand = rng(26);
  for (const rule of rules) {
    const replay = REPLAY[rule];
    const byCase = {};
    const add = (key, o) => (byCase[key] ??= []).push(o);
    for (const r of clean) add(`clean|${r.name}|${r.env}-${r.condition}`, replay(r));
    for (const r of realLeaks) add(`real leak ${r.size} B|${r.name}|${r.env}-${r.condition}`, replay(r));
    for (const size of sizes) {
      for (const r of clean) {
        for (let i = 0; i < reps; i++)
          add(`synthetic ${size} B|${r.name}|${r.env}-${r.condition}`, replay(withLeak(r, size, 32, rand)));
      }
    }
    const pooled = {};
    for (const [key, outs] of Object.entries(byCase)) {
      const [group, , envCond] = key.split('|');
      (pooled[`${group}|${envCond}`] ??= []).push(...outs);
    }
    result.rules[rule] = {
      pooled: Object.fromEntries(Object.entries(pooled).map(([k, v]) => [k, tally(v)])),
      byCase: Object.fromEntries(Object.entries(byCase).map(([k, v]) => [k, tally(v)])),
    };
  }
  if (arg('--json')) fs.writeFileSync(arg('--json'), JSON.stringify(result, null, 1));
  console.log(`replay: ${runs.length} recorded runs (${part} part) from ${result.files.join(', ')}`);
  for (const rule of rules) {
    console.log(
      `\n## ${rule}\n| group | env | n | leak | clean | undecided | median ms |\n|---|---|---|---|---|---|---|`,
    );
    for (const [k, t] of Object.entries(result.rules[rule].pooled).sort()) {
      const [group, env] = k.split('|');
      console.log(
        `| ${group} | ${env} | ${t.n} | ${t.leak} | ${t.clean} | ${t.undecided} | ${Math.round(t.medianMs)} |`,
      );
    }
    if (args.includes('--by-case')) {
      console.log('\n| case | n | leak | clean | undecided | median ms |\n|---|---|---|---|---|---|');
      for (const [k, t] of Object.entries(result.rules[rule].byCase).sort()) {
        if (k.startsWith('clean') ? t.leak > 0 || t.undecided > 0 : t.leak < t.n)
          console.log(`| ${k} | ${t.n} | ${t.leak} | ${t.clean} | ${t.undecided} | ${Math.round(t.medianMs)} |`);
      }
    }
  }
}

module.exports = { withLeak, replaySurvival, replaySequential, loadCorpus, coarsen };
if (require.main === module) main();
