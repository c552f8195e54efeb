// Shared by the GPR benchmarks: locating the vectors, small statistics, a child's peak RSS, and timing GoPro's
// reference tool (gpr_tools) side by side when the user points at a build of it.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '..', '..');

function vectorsDir(script) {
  for (const dir of [process.env.LEAKPROOF_VECTORS, path.resolve(repoRoot, '..', 'shared', 'vectors')]) {
    if (dir && fs.existsSync(path.join(dir, 'manifest.json'))) return dir;
  }
  console.error(`${script}: vectors not found (set LEAKPROOF_VECTORS or place them at ../shared/vectors)`);
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 1) => (x === undefined ? '-' : x.toFixed(d));

/** Numeric value of `--name N`, else the default. */
function numberArg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

/** String value of `--name X`, else the default. */
function stringArg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
}

/**
 * This process's peak RSS in KiB. VmHWM belongs to this process image; getrusage's maxRSS can carry the parent's RSS
 * over fork+exec, which would charge the benchmark's own inputs to the measured child.
 */
function peakRssKiB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall back to maxRSS
  }
  return process.resourceUsage().maxRSS;
}

/** The machine line every benchmark prints first. */
function machineLine() {
  return `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0].model}), load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;
}

/**
 * Path of a gpr_tools binary to time side by side: `--reference-tool PATH` or LEAKPROOF_GPR_TOOLS. The benchmarks
 * never build or ship it; build GoPro's reference yourself (cmake, Release) and point at its gpr_tools.
 */
function referenceToolPath() {
  const p = stringArg('--reference-tool', process.env.LEAKPROOF_GPR_TOOLS);
  if (p === undefined) return undefined;
  if (!fs.existsSync(p)) {
    console.error(`reference tool not found: ${p}`);
    process.exit(2);
  }
  return path.resolve(p);
}

/**
 * Runs gpr_tools with the manifest's recorded arguments, mapped onto this machine's files: `vectors/…` to the vectors
 * folder, `work/timing/…` to a temporary output, and the recorded RAW inputs to the files in `rawInputs` (a map from
 * the manifest's path to a local file, linked under a .raw name because gpr_tools picks the format by extension).
 * Returns the median of the tool's own inner conversion time ([BEG]..[END] of the conversion call, excluding process
 * start and file I/O, as the manifest records it) and the median peak RSS, over `runs` runs after one warm-up.
 */
function timeReferenceTool(tool, manifestArgs, vectors, rawInputs, runs) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-ref-'));
  try {
    const args = manifestArgs.split(/\s+/).map((a) => {
      if (rawInputs[a]) {
        const link = path.join(tmp, path.basename(a));
        if (!fs.existsSync(link)) fs.symlinkSync(rawInputs[a], link);
        return link;
      }
      if (a.startsWith('vectors/')) return path.join(vectors, a.slice('vectors/'.length));
      if (a.startsWith('work/timing/')) return path.join(tmp, path.basename(a));
      return a;
    });
    const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
    const inner = [];
    const rss = [];
    for (let i = 0; i <= runs; i++) {
      const r = timeBin
        ? spawnSync(timeBin, ['-f', 'leakproof-maxrss=%M', tool, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 })
        : spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
      const out = `${r.stdout}\n${r.stderr}`;
      const beg = /\[\s*(\d+)-ms\] \[BEG\]/.exec(out);
      const end = /\[\s*(\d+)-ms\] \[END\]/.exec(out);
      if (r.status !== 0 || !beg || !end)
        throw new Error(`gpr_tools ${args.join(' ')} failed (exit ${r.status}):\n${out.slice(-2000)}`);
      if (i === 0) continue; // warm-up
      inner.push(Number(end[1]) - Number(beg[1]));
      const m = /leakproof-maxrss=(\d+)/.exec(out);
      if (m) rss.push(Number(m[1]));
    }
    return { ms: median(inner), rssKiB: rss.length ? median(rss) : undefined };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The reference's figures per manifest case key, `{ ms, rssKiB }`: timed side by side (once per key, cached) when
 * `tool` is given, else the manifest's recorded inner conversion time and peak RSS.
 */
function referenceFigures(manifest, tool, vectors, rawInputs, runs) {
  const recorded = manifest.timing_reference_gpr_tools.results;
  const timed = new Map();
  return (key) => {
    if (!tool) return { ms: recorded[key].inner_conversion_ms_median, rssKiB: recorded[key].peak_rss_kb_median };
    if (!timed.has(key)) timed.set(key, timeReferenceTool(tool, recorded[key].args, vectors, rawInputs, runs));
    return timed.get(key);
  };
}

module.exports = {
  repoRoot,
  vectorsDir,
  median,
  fmt,
  numberArg,
  stringArg,
  peakRssKiB,
  machineLine,
  referenceToolPath,
  referenceFigures,
};
