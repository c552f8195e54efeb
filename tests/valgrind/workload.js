#!/usr/bin/env node
// The valgrind workload: decodes, encodes and converts every test vector and malformed file through the addon,
// sync and async, then closes everything and collects garbage so that only leaks remain at exit.
// Usage (normally through run.js): node --expose-gc tests/valgrind/workload.js [--set full|ci]
//   full: camera files, synthetic files, every malformed file, our own seed corpora and fuzz regressions.
//   ci:   no camera-sized files: synthetic files up to 320x240, malformed files up to 1 MiB, and the rest.
// Prints one line `WORKLOAD {json}` with the counts; exits 1 if any call failed with something other than a
// GprError (a crash ends the process anyway, and valgrind reports it).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const gpr = require(path.join(root, 'dist', 'src', 'gpr'));

const set = process.argv.includes('--set') ? process.argv[process.argv.indexOf('--set') + 1] : 'full';
if (set !== 'full' && set !== 'ci') {
  console.error(`workload.js: --set must be full or ci, got ${set}`);
  process.exit(2);
}

function vectorsDir() {
  const candidates = [process.env.LEAKPROOF_VECTORS, path.resolve(root, '..', 'shared', 'vectors')];
  return candidates.find((d) => d && fs.existsSync(path.join(d, 'manifest.json')));
}

function filesIn(dir, re) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

const stats = {
  set,
  files: 0,
  opened: 0,
  rawDecodes: 0,
  rgbDecodes: 0,
  encodes: 0,
  conversions: 0,
  rejected: {},
  unexpected: [],
};

function expectGprError(what, err) {
  if (err instanceof gpr.GprError) {
    stats.rejected[err.code] = (stats.rejected[err.code] ?? 0) + 1;
    return;
  }
  stats.unexpected.push(`${what}: ${err && err.stack ? err.stack : String(err)}`);
}

// Everything the addon does with one input file; each step may legitimately fail with a GprError.
async function exercise(file, bytes, asyncToo) {
  const name = path.relative(root, file);
  let img;
  try {
    img = gpr.GprImage.open(bytes);
    stats.opened++;
    void img.info;
    void img.metadata;
    const raw = img.decodeRaw({ resolution: 1 });
    stats.rawDecodes++;
    img.decodeRgb({ resolution: 4, bits: 16 });
    img.decodeRgb({ resolution: 16, bits: 8 });
    stats.rgbDecodes += 2;
    if (raw.width * raw.height <= 4_000_000 || set === 'full') {
      // Encode the decoded samples again (RGGB decodes to 14 bits, GBRG to 12).
      const bitDepth = img.info.bitDepth === 14 ? 14 : 12;
      gpr.encodeGpr({
        data: raw.data,
        width: raw.width,
        height: raw.height,
        bitDepth,
        cfaPattern: img.cfaPattern === 'GBRG' ? 'GBRG' : 'RGGB',
        quality: raw.width % 4 === 0 ? 'fs1' : 'fast',
        metadata: img.metadata,
      });
      stats.encodes++;
    }
  } catch (err) {
    expectGprError(`${name} (decode/encode)`, err);
  } finally {
    if (img) img.close();
  }
  if (asyncToo) {
    let a;
    try {
      a = await gpr.GprImage.openAsync(bytes);
      await Promise.all([
        a.decodeRawAsync({ resolution: 1, threads: 2 }),
        a.decodeRgbAsync({ resolution: 8, bits: 16 }),
      ]);
      stats.rawDecodes++;
      stats.rgbDecodes++;
    } catch (err) {
      expectGprError(`${name} (async)`, err);
    } finally {
      if (a) a.close();
    }
  }
  for (const to of ['dng', 'raw', 'ppm']) {
    try {
      const out = await gpr.convert(bytes, { to, resolution: to === 'ppm' ? 8 : 1 });
      stats.conversions++;
      if (to === 'dng') {
        await gpr.convert(out, { to: 'gpr' }); // DNG -> GPR: reads our DNG, encodes VC-5
        await gpr.convert(out, { to: 'dng' });
        stats.conversions += 2;
      }
    } catch (err) {
      expectGprError(`${name} (convert to ${to})`, err);
    }
  }
  try {
    gpr.detectFormat(bytes);
  } catch (err) {
    expectGprError(`${name} (detectFormat)`, err);
  }
}

async function main() {
  const files = [];
  const vectors = vectorsDir();
  if (vectors) {
    // ci: no camera-sized files (valgrind runs Node 20-50x slower): synthetic up to 320x240, malformed up to 1 MiB.
    const fits = (limit) => (f) => set === 'full' || fs.statSync(f).size <= limit;
    if (set === 'full') files.push(...filesIn(path.join(vectors, 'camera'), /\.GPR$/i));
    files.push(...filesIn(path.join(vectors, 'synthetic'), /\.GPR$/i).filter(fits(24 * 1024)));
    files.push(...filesIn(path.join(vectors, 'malformed'), /./).filter(fits(1024 * 1024)));
  } else if (process.env.CI === 'true') {
    console.error(
      'workload.js: GPR test vectors not found (LEAKPROOF_VECTORS or ../shared/vectors); required when CI=true',
    );
    process.exit(3);
  } else {
    console.warn('workload.js: vectors not found, running on the repo corpora only');
  }
  for (const t of ['vc5_file', 'convert']) files.push(...filesIn(path.join(root, 'native', 'fuzz', 'corpus', t), /./));
  for (const t of ['tiff', 'vc5_file', 'vc5_payload', 'convert', 'encode'])
    files.push(...filesIn(path.join(root, 'native', 'fuzz', 'regressions', t), /./));
  for (const [i, file] of files.entries()) {
    stats.files++;
    await exercise(file, fs.readFileSync(file), i % 3 === 0);
  }
  // Encoder argument errors: each must be a GprError, and allocate nothing that outlives the call.
  for (const bad of [
    { width: 43, height: 42 },
    { width: 16386, height: 42 },
    { width: 42, height: 42, bitDepth: 13 },
  ]) {
    try {
      gpr.encodeGpr({ data: new Uint16Array(bad.width * bad.height), bitDepth: 12, ...bad });
      stats.unexpected.push(`encodeGpr accepted ${JSON.stringify(bad)}`);
    } catch (err) {
      expectGprError('encodeGpr argument check', err);
    }
  }
  for (let i = 0; i < 4 && global.gc; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
  }
  console.log(`WORKLOAD ${JSON.stringify(stats)}`);
  process.exitCode = stats.unexpected.length || stats.opened === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
