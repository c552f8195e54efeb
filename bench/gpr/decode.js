#!/usr/bin/env node
// GPR decode benchmark: time, MP/s and peak RSS per camera file for full RAW (1 and N threads) and RGB previews,
// next to GoPro's reference, as ratios: timed side by side when given a build of its gpr_tools (--reference-tool PATH or
// LEAKPROOF_GPR_TOOLS), else the figures recorded in the vectors' manifest (timing_reference_gpr_tools).
// Usage: npm run build && npm run build:native && node bench/gpr/decode.js [--runs 5] [--threads N] [--markdown] [--reference-tool PATH]
// Prints tables only; never asserts on time.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const Table = require('cli-table3');
const {
  repoRoot,
  vectorsDir,
  median,
  fmt,
  numberArg,
  peakRssKiB,
  machineLine,
  referenceToolPath,
  referenceFigures,
} = require('./common');

const { GprImage } = require(path.join(repoRoot, 'dist', 'src', 'gpr'));

const CASES = {
  raw1: {
    label: 'RAW 1:1, 1 thread',
    run: (img) => img.decodeRaw({ resolution: 1, threads: 1 }),
    ref: 'decode_hero6_gpr_to_raw',
  },
  rawN: {
    label: 'RAW 1:1, N threads',
    run: (img, n) => img.decodeRaw({ resolution: 1, threads: n }),
    ref: 'decode_hero6_gpr_to_raw',
  },
  rgb4x16: {
    label: 'RGB 4:1 16-bit',
    run: (img) => img.decodeRgb({ resolution: 4, bits: 16 }),
    ref: 'decode_hero6_r4_to_ppm16',
  },
  rgb4x8: {
    label: 'RGB 4:1 8-bit',
    run: (img) => img.decodeRgb({ resolution: 4, bits: 8 }),
    ref: 'decode_hero6_r4_to_ppm8',
  },
  rgb16x16: {
    label: 'RGB 16:1 16-bit',
    run: (img) => img.decodeRgb({ resolution: 16, bits: 16 }),
    ref: 'decode_hero6_r16_to_ppm16',
  },
};

// Child mode: one open + one decode in a fresh process, report RSS before and peak RSS (KiB) as JSON.
if (process.argv[2] === '--child') {
  const [, , , file, caseName, threads] = process.argv;
  const bytes = fs.readFileSync(file);
  const img = GprImage.open(bytes);
  const before = process.memoryUsage().rss / 1024;
  const out = CASES[caseName].run(img, Number(threads));
  process.stdout.write(
    JSON.stringify({ beforeKiB: Math.round(before), peakKiB: peakRssKiB(), outputBytes: out.data.byteLength }),
  );
  process.exit(0);
}

const runs = numberArg('--runs', 5);
const threads = numberArg(
  '--threads',
  Math.min(4, os.availableParallelism ? os.availableParallelism() : os.cpus().length),
);
const vectors = vectorsDir('bench/gpr/decode.js');
const manifest = JSON.parse(fs.readFileSync(path.join(vectors, 'manifest.json'), 'utf8'));
const tool = referenceToolPath();
const reference = referenceFigures(manifest, tool, vectors, {}, runs);

const table = new Table({
  style: { head: [], border: [] },
  head: [
    'file',
    'output',
    'size',
    'median ms',
    'CPU ms',
    'MP/s',
    'peak RSS MiB',
    'RSS growth MiB',
    'output MiB',
    'ref CPU ms',
    'ref RSS MiB',
    'ref CPU / our wall',
    'ref CPU / our CPU',
  ],
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
    const mem = JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, 'decode.js'), '--child', file, name, String(threads)], {
        encoding: 'utf8',
      }),
    );
    const ref = isHero6 ? reference(c.ref) : undefined;
    const refMs = ref ? ref.ms : undefined;
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
      ref && ref.rssKiB !== undefined ? fmt(ref.rssKiB / 1024) : '-',
      refMs === undefined ? '-' : `${fmt(refMs / ms, 2)}x`,
      refMs === undefined ? '-' : `${fmt(refMs / median(cpu), 2)}x`,
    ]);
  }
  img.close();
}

console.log(`GPR decode benchmark: median of ${runs} runs after one warm-up, ${machineLine()}`);
console.log(
  'median ms = wall time of the sync call; CPU ms = user+system CPU time of the process during it (all threads), which',
);
console.log(
  'is what to compare when the machine is shared and busy (see load average). MP/s = W x H megapixels / wall time.',
);
console.log('Peak RSS: a fresh process that opens the file and decodes once;');
console.log(
  'RSS growth = peak minus RSS just before the decode. Reference (gpr_tools, HERO6 only): its own [BEG]..[END] figure, taken',
);
console.log(
  'with clock(), i.e. the CPU time of its (single-threaded) conversion call without process start and file I/O, and',
);
console.log(
  'whole-process peak RSS. Compare it with our CPU ms; the wall ratio flatters multi-threaded rows. Whole processes: bench/gpr/cli.js.',
);
console.log('Reference figures:');
console.log(
  tool
    ? `median of ${runs} runs of ${tool}, timed now, side by side.`
    : 'from the manifest (timing_reference_gpr_tools); pass --reference-tool to time it here.',
);
if (process.argv.includes('--markdown')) {
  // Same rows as a Markdown table (for the README).
  const head = table.options.head;
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|`);
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
} else {
  console.log(table.toString());
}
console.log(
  'Reproduce: npm run build && npm run build:native && node bench/gpr/decode.js --runs 5 [--reference-tool PATH/gpr_tools]',
);
