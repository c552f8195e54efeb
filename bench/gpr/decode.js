#!/usr/bin/env node
// GPR decode benchmark: time, MP/s and peak RSS per camera file for full RAW (1 and N threads) and RGB previews,
// next to GoPro's reference figures recorded in the vectors' manifest (timing_reference_gpr_tools), as ratios.
// Usage: npm run build && npm run build:native && node bench/gpr/decode.js [--runs 5] [--threads N] [--markdown]
// Prints tables only; never asserts on time.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const Table = require('cli-table3');

const repoRoot = path.resolve(__dirname, '..', '..');
const { GprImage } = require(path.join(repoRoot, 'dist', 'src', 'gpr'));

function vectorsDir() {
  for (const dir of [process.env.LEAKPROOF_VECTORS, path.resolve(repoRoot, '..', 'shared', 'vectors')]) {
    if (dir && fs.existsSync(path.join(dir, 'manifest.json'))) return dir;
  }
  console.error('bench/gpr/decode.js: vectors not found (set LEAKPROOF_VECTORS or place them at ../shared/vectors)');
  process.exit(2);
}

const CASES = {
  raw1: { label: 'RAW 1:1, 1 thread', run: (img) => img.decodeRaw({ resolution: 1, threads: 1 }), ref: 'decode_hero6_gpr_to_raw' },
  rawN: { label: 'RAW 1:1, N threads', run: (img, n) => img.decodeRaw({ resolution: 1, threads: n }), ref: 'decode_hero6_gpr_to_raw' },
  rgb4x16: { label: 'RGB 4:1 16-bit', run: (img) => img.decodeRgb({ resolution: 4, bits: 16 }), ref: 'decode_hero6_r4_to_ppm16' },
  rgb4x8: { label: 'RGB 4:1 8-bit', run: (img) => img.decodeRgb({ resolution: 4, bits: 8 }), ref: 'decode_hero6_r4_to_ppm8' },
  rgb16x16: { label: 'RGB 16:1 16-bit', run: (img) => img.decodeRgb({ resolution: 16, bits: 16 }), ref: 'decode_hero6_r16_to_ppm16' },
};

// Child mode: one open + one decode in a fresh process, report RSS before and peak RSS (KiB) as JSON.
if (process.argv[2] === '--child') {
  const [, , , file, caseName, threads] = process.argv;
  const bytes = fs.readFileSync(file);
  const img = GprImage.open(bytes);
  const before = process.memoryUsage().rss / 1024;
  const out = CASES[caseName].run(img, Number(threads));
  // VmHWM belongs to this process image; getrusage's maxRSS can carry the parent's RSS over fork+exec.
  let peak = process.resourceUsage().maxRSS;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) peak = Number(m[1]);
  } catch {
    // not Linux: keep maxRSS
  }
  process.stdout.write(JSON.stringify({ beforeKiB: Math.round(before), peakKiB: peak, outputBytes: out.data.byteLength }));
  process.exit(0);
}

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const runs = arg('--runs', 5);
const threads = arg('--threads', Math.min(4, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
const vectors = vectorsDir();
const manifest = JSON.parse(fs.readFileSync(path.join(vectors, 'manifest.json'), 'utf8'));
const reference = manifest.timing_reference_gpr_tools.results;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x, d = 1) => (x === undefined ? '-' : x.toFixed(d));

const table = new Table({
  style: { head: [], border: [] },
  head: ['file', 'output', 'size', 'median ms', 'CPU ms', 'MP/s', 'peak RSS MiB', 'RSS growth MiB', 'output MiB', 'ref ms', 'ref RSS MiB', 'ref ms / wall ms', 'ref ms / CPU ms'],
});
for (const cam of manifest.camera) {
  const file = path.join(vectors, cam.file);
  const img = GprImage.open(file);
  const isHero6 = cam.file.includes('GOPR0024');
  for (const [name, c] of Object.entries(CASES)) {
    const times = [];
    const cpu = [];
    let out;
    out = c.run(img, threads); // warm-up
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      out = c.run(img, threads);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const dc = process.cpuUsage(c0);
      cpu.push((dc.user + dc.system) / 1000);
    }
    const ms = median(times);
    const mem = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'decode.js'), '--child', file, name, String(threads)], { encoding: 'utf8' }));
    const ref = isHero6 ? reference[c.ref] : undefined;
    const refMs = ref ? ref.inner_conversion_ms_median : undefined;
    table.push([
      path.basename(cam.file),
      name === 'rawN' ? `RAW 1:1, ${threads} threads` : c.label,
      `${out.width}x${out.height}`,
      fmt(ms),
      fmt(median(cpu)),
      fmt((img.width * img.height) / 1e6 / (ms / 1000), 0),
      fmt(mem.peakKiB / 1024),
      fmt((mem.peakKiB - mem.beforeKiB) / 1024),
      fmt(mem.outputBytes / 1048576),
      refMs === undefined ? '-' : String(refMs),
      ref ? fmt(ref.peak_rss_kb_median / 1024) : '-',
      refMs === undefined ? '-' : `${fmt(refMs / ms, 2)}x`,
      refMs === undefined ? '-' : `${fmt(refMs / median(cpu), 2)}x`,
    ]);
  }
  img.close();
}

console.log(`GPR decode benchmark: median of ${runs} runs after one warm-up, Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0].model}), load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('median ms = wall time of the sync call; CPU ms = user+system CPU time of the process during it (all threads), which');
console.log('is what to compare when the machine is shared and busy (see load average). MP/s = W x H megapixels / wall time.');
console.log('Peak RSS: a fresh process that opens the file and decodes once;');
console.log('RSS growth = peak minus RSS just before the decode. Reference (gpr_tools, HERO6 only): inner conversion time and whole-process peak RSS.');
if (process.argv.includes('--markdown')) {
  // Same rows as a Markdown table (for the README).
  const head = table.options.head;
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
} else {
  console.log(table.toString());
}
console.log('Reproduce: npm run build && npm run build:native && node bench/gpr/decode.js --runs 5');
