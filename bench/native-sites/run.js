#!/usr/bin/env node
// Native allocation tracker overhead: time per call of each case with the tracker armed (per sampling interval) as a
// ratio to the same calls unarmed, interleaved over rounds (median). Chooses nothing itself: the default interval of
// src/engine/nativeSites.ts (16 KiB, down to 1 KiB for small leaks) was picked from this table; the target is ≤ 2x for
// the codec's decode and encode.
// Usage: npm run build && npm run build:native && nice node bench/native-sites/run.js [--rounds 7] [--markdown]
// Prints a table only; never asserts on time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { repoRoot, vectorsDir, median, fmt, numberArg, machineLine } = require('../gpr/common');

const dir = process.env.LEAKPROOF_NATIVE_DIR || path.join(repoRoot, 'native', 'build', 'Release');
const lp = require(path.join(dir, 'leakproof.node'));
const testing = require(path.join(dir, 'leakproof_testing.node'));
const { GprImage, encodeGpr } = require(path.join(repoRoot, 'dist', 'src', 'gpr'));

const rounds = numberArg('--rounds', 7);
const markdown = process.argv.includes('--markdown');
const INTERVALS = [1024, 4096, 16384, 65536, 262144];

const vectors = vectorsDir('bench/native-sites/run.js');
const camera = fs.readFileSync(path.join(vectors, 'camera', 'GOPR0024.GPR'));
const synthGpr = fs.readFileSync(path.join(vectors, 'synthetic', 'synth_0320x0240_seed1.fs1.GPR'));
const synthRaw = fs.readFileSync(path.join(vectors, 'synthetic', 'synth_0320x0240_seed1.input.raw'));
const mosaic = new Uint16Array(synthRaw.buffer, synthRaw.byteOffset, synthRaw.byteLength / 2);

const CASES = [
  {
    label: 'decode HERO6 RGB 16:1 (GPR, 1 thread)',
    calls: 8,
    fn: () => {
      const img = GprImage.open(camera);
      img.decodeRgb({ resolution: 16, bits: 8 });
      img.close();
    },
  },
  {
    label: 'decode synthetic 320x240 RAW',
    calls: 80,
    fn: () => {
      const img = GprImage.open(synthGpr);
      img.decodeRaw({ resolution: 1, threads: 1 });
      img.close();
    },
  },
  {
    label: 'encode synthetic 320x240 FS1',
    calls: 40,
    fn: () =>
      encodeGpr({
        data: mosaic,
        width: 320,
        height: 240,
        bitDepth: 12,
        cfaPattern: 'RGGB',
        quality: 'fs1',
        threads: 1,
      }),
  },
  { label: 'churnNative 64 KiB (malloc/free loop)', calls: 400, fn: () => testing.churnNative(1 << 16) },
  {
    label: 'LeakyCache.insert 4 KiB (new[], kept)',
    calls: 2000,
    fn: (() => {
      let c = new testing.LeakyCache();
      let n = 0;
      return () => {
        if (++n % 2000 === 0) c = new testing.LeakyCache();
        c.insert(4096);
      };
    })(),
  },
];

function timeCalls(c) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < c.calls; i++) c.fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / c.calls;
}

console.log(machineLine());
console.log(`rounds: ${rounds} (median per call, modes interleaved within each round)`);
const rows = [];
for (const c of CASES) {
  for (let i = 0; i < 2; i++) timeCalls(c); // warm-up: JIT, lazy binding, codec tables
  const times = { off: [] };
  const sampled = {};
  for (const iv of INTERVALS) times[iv] = [];
  for (let r = 0; r < rounds; r++) {
    times.off.push(timeCalls(c));
    for (const iv of INTERVALS) {
      lp.nativeTrackerArm(iv);
      try {
        times[iv].push(timeCalls(c));
        sampled[iv] = lp.nativeTrackerSnapshot().sampled;
      } finally {
        lp.nativeTrackerDisarm();
      }
    }
  }
  const off = median(times.off);
  rows.push([c.label, fmt(off, 3), ...INTERVALS.map((iv) => `${fmt(median(times[iv]) / off, 2)}x (${sampled[iv]})`)]);
}
testing.freeLeaked();
const header = ['case', 'unarmed ms/call', ...INTERVALS.map((iv) => `armed ${iv / 1024} KiB (samples)`)];
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} else {
  const Table = require('cli-table3');
  const t = new Table({ head: header });
  for (const r of rows) t.push(r);
  console.log(t.toString());
}
