// Merges detector results written by parallel runs of run.js (--part leaks --kinds ..., --part clean) into one file and
// prints its tables: leak cells are concatenated, clean counts are summed per case (medians: the runs' medians' median).
//   node bench/detector/merge.js bench/results/a.json bench/results/b.json ... [--out merged.json]
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : null;
const files = args.filter((a, i) => a !== '--out' && (outIndex < 0 || i !== outIndex + 1));
if (files.length === 0) {
  process.stderr.write('usage: node bench/detector/merge.js <results.json>... [--out merged.json]\n');
  process.exit(2);
}

function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function mergeCleanRows(lists) {
  const byName = new Map();
  for (const rows of lists) {
    for (const r of rows) {
      if (!byName.has(r.name)) byName.set(r.name, []);
      byName.get(r.name).push(r);
    }
  }
  return [...byName.values()].map((rs) => {
    const ok = rs.filter((r) => !r.error);
    if (ok.length === 0) return rs[0];
    return {
      name: ok[0].name,
      runs: ok.reduce((s, r) => s + r.runs, 0),
      falsePositives: ok.reduce((s, r) => s + r.falsePositives, 0),
      leakingMetrics: [...new Set(ok.flatMap((r) => r.leakingMetrics))],
      verdictMs: median(ok.map((r) => r.verdictMs)),
      extended: ok.reduce((s, r) => s + r.extended, 0),
      undecidedAtEnd: ok.reduce((s, r) => s + r.undecidedAtEnd, 0),
      maxIterations: Math.max(...ok.map((r) => r.maxIterations)),
    };
  });
}

const inputs = files.map((f) => JSON.parse(fs.readFileSync(path.resolve(f), 'utf8')));
const merged = {
  kind: 'rates',
  generatedAt: inputs.map((r) => r.generatedAt).sort()[0],
  mode: inputs[0].mode,
  part: 'all',
  rateConfig: inputs[0].rateConfig,
  env: {
    ...inputs[0].env,
    loadavgBusy: inputs.find((r) => r.env.loadavgBusy)?.env.loadavgBusy,
    mergedFrom: files.map((f) => path.basename(f)),
  },
  durationS: Math.max(...inputs.map((r) => r.durationS ?? 0)),
};
const rates = inputs.flatMap((r) => r.rates ?? []);
if (rates.length) merged.rates = rates;
const cleans = inputs.filter((r) => r.clean).map((r) => r.clean);
if (cleans.length) {
  merged.clean = {};
  for (const key of ['adaptiveQuiet', 'adaptiveBusy', 'fixedQuiet', 'fixedBusy']) {
    const lists = cleans.map((c) => c[key]).filter((rows) => rows && !rows.every((r) => r.skipped));
    if (lists.length) merged.clean[key] = mergeCleanRows(lists);
  }
}
if (out) fs.writeFileSync(out, JSON.stringify(merged, null, 2));
// Render with run.js's own tables (no measuring: --from on the merged object).
const tmp = out ?? path.join(require('node:os').tmpdir(), `detector-merged-${process.pid}.json`);
if (!out) fs.writeFileSync(tmp, JSON.stringify(merged));
const { spawnSync } = require('node:child_process');
const r = spawnSync(process.execPath, [path.join(__dirname, 'run.js'), '--from', tmp], { encoding: 'utf8' });
process.stdout.write(r.stdout + r.stderr);
if (!out) fs.rmSync(tmp, { force: true });
