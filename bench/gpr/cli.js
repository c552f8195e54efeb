#!/usr/bin/env node
// Whole-process benchmark of the `leakproof gpr convert` command against GoPro's gpr_tools: paired, alternating runs
// (ours, ref, ref, ours, ...) of every full-resolution conversion of the 12 MP HERO6 file, wall time and peak RSS of
// each process (/usr/bin/time), medians, and the median of the per-pair ratios. Also Node's own start-up (node -e 0).
// Usage: npm run build && node bench/gpr/cli.js --reference-tool PATH [--runs 11] [--markdown] [--without-extra-ca-certs]
// (or LEAKPROOF_GPR_TOOLS=PATH). Nothing of the reference is in this repo: build it yourself. Never asserts on time.
// NODE_EXTRA_CA_CERTS, when set, makes Node 20 parse that certificate bundle while it starts, before any of our code
// runs (+40 ms of CPU for a 220 KB bundle here); --without-extra-ca-certs runs our side without it (the reference, a
// C program, never reads it), as on a machine where it is not set. The header says which was measured.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { repoRoot, vectorsDir, median, fmt, numberArg, machineLine, referenceToolPath } = require('./common');

const vectors = vectorsDir('bench/gpr/cli.js');
const tool = referenceToolPath();
if (!tool) {
  console.error(
    'bench/gpr/cli.js compares whole processes and needs the reference: --reference-tool PATH or LEAKPROOF_GPR_TOOLS',
  );
  process.exit(2);
}
if (!fs.existsSync('/usr/bin/time')) {
  console.error('bench/gpr/cli.js needs /usr/bin/time (GNU time) for peak RSS');
  process.exit(2);
}
const runs = numberArg('--runs', 11);
const markdown = process.argv.includes('--markdown');
const withoutExtraCa = process.argv.includes('--without-extra-ca-certs');
const nodeEnv = { ...process.env };
if (withoutExtraCa) delete nodeEnv.NODE_EXTRA_CA_CERTS;
const extraCa = nodeEnv.NODE_EXTRA_CA_CERTS;
const bin = path.join(repoRoot, 'bin', 'leakproof.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-bench-cli-'));
const cam = (f) => path.join(vectors, 'camera', f);

/**
 * One process under /usr/bin/time: wall ms (spawn to exit, measured here), peak RSS in MiB and CPU ms (user + system
 * of all its threads, GNU time's 10 ms resolution). Node processes get `nodeEnv`.
 */
function timed(cmd, args, output) {
  if (output) fs.rmSync(output, { force: true });
  const env = cmd === process.execPath ? nodeEnv : process.env;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'leakproof-maxrss=%M cpu=%U+%S', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /leakproof-maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m || (output && !fs.existsSync(output))) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`.slice(-3000));
  }
  return { ms, rss: Number(m[1]) / 1024, cpu: (Number(m[2]) + Number(m[3])) * 1000 };
}

// Inputs: the HERO6 GPR, its RAW and DNG (made by gpr_tools), and its metadata as `gpr info --json` prints it, so
// that our RAW -> GPR writes the camera's metadata as the reference does from its params file.
const gpr = cam('GOPR0024.GPR');
const raw = path.join(tmp, 'in.RAW');
const dng = path.join(tmp, 'in.DNG');
timed(tool, ['-i', gpr, '-o', raw], raw);
timed(tool, ['-i', gpr, '-o', dng], dng);
const meta = path.join(tmp, 'meta.json');
fs.writeFileSync(
  meta,
  spawnSync(process.execPath, [bin, 'gpr', 'info', gpr, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout,
);

const out = (name) => path.join(tmp, name);
const cases = [
  {
    name: 'GPR -> RAW',
    ref: ['-i', gpr, '-o', out('r.RAW')],
    refOut: out('r.RAW'),
    ours: [gpr, out('o.raw')],
    ourOut: out('o.raw'),
  },
  {
    name: 'GPR -> DNG',
    ref: ['-i', gpr, '-o', out('r.DNG')],
    refOut: out('r.DNG'),
    ours: [gpr, out('o.dng')],
    ourOut: out('o.dng'),
  },
  {
    name: 'DNG -> GPR',
    ref: ['-i', dng, '-o', out('rd.GPR')],
    refOut: out('rd.GPR'),
    ours: [dng, out('od.gpr')],
    ourOut: out('od.gpr'),
  },
  {
    name: 'RAW -> GPR (camera metadata)',
    ref: ['-i', raw, '-o', out('rr.GPR'), '-a', cam('GOPR0024.params.txt')],
    refOut: out('rr.GPR'),
    ours: [raw, out('or.gpr'), '--raw-size', '4000x3000', '--raw-bits', '14', '--metadata', meta],
    ourOut: out('or.gpr'),
  },
  {
    name: 'RAW -> GPR (camera metadata), --threads 1',
    ref: ['-i', raw, '-o', out('rr1.GPR'), '-a', cam('GOPR0024.params.txt')],
    refOut: out('rr1.GPR'),
    ours: [raw, out('or1.gpr'), '--raw-size', '4000x3000', '--raw-bits', '14', '--metadata', meta, '--threads', '1'],
    ourOut: out('or1.gpr'),
  },
  {
    name: 'GPR -> PPM 4:1 8-bit',
    ref: ['-i', gpr, '-o', out('r.PPM'), '-r', '4:1'],
    refOut: out('r.PPM'),
    ours: [gpr, out('o.ppm'), '--resolution', '4'],
    ourOut: out('o.ppm'),
  },
  {
    name: 'GPR -> PPM 4:1 16-bit',
    ref: ['-i', gpr, '-o', out('r16.PPM'), '-r', '4:1', '-b', '16'],
    refOut: out('r16.PPM'),
    ours: [gpr, out('o16.ppm'), '--resolution', '4', '--bits', '16'],
    ourOut: out('o16.ppm'),
  },
  {
    name: 'GPR -> JPEG 4:1',
    ref: ['-i', gpr, '-o', out('r.JPG'), '-r', '4:1'],
    refOut: out('r.JPG'),
    ours: [gpr, out('o.jpg'), '--resolution', '4'],
    ourOut: out('o.jpg'),
  },
];

const rows = [];
try {
  const base = [];
  for (let i = 0; i <= runs; i++) {
    const b = timed(process.execPath, ['-e', '0']);
    if (i) base.push(b);
  }
  const nodeMs = median(base.map((b) => b.ms));
  const nodeRss = median(base.map((b) => b.rss));
  const nodeCpu = median(base.map((b) => b.cpu));
  for (const c of cases) {
    const ours = () => timed(process.execPath, [bin, 'gpr', 'convert', ...c.ours], c.ourOut);
    const ref = () => timed(tool, c.ref, c.refOut);
    ours(); // warm-up of both (page cache, binaries)
    ref();
    const pairs = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so a drift in machine load charges both equally.
      const [a, b] = i % 2 === 0 ? [ours(), ref()] : [ref(), ours()].reverse();
      pairs.push({ ours: a, ref: b });
    }
    rows.push({
      name: c.name,
      ourMs: median(pairs.map((p) => p.ours.ms)),
      refMs: median(pairs.map((p) => p.ref.ms)),
      ratio: median(pairs.map((p) => p.ref.ms / p.ours.ms)),
      ourRss: median(pairs.map((p) => p.ours.rss)),
      refRss: median(pairs.map((p) => p.ref.rss)),
      ourCpu: median(pairs.map((p) => p.ours.cpu)),
      refCpu: median(pairs.map((p) => p.ref.cpu)),
      wins: pairs.filter((p) => p.ours.ms < p.ref.ms).length,
    });
  }
  console.log(machineLine());
  console.log(
    `${runs} paired runs per case after one warm-up each, alternating order; wall = spawn to exit of the whole process (under /usr/bin/time, both sides)`,
  );
  console.log(
    `NODE_EXTRA_CA_CERTS for our side: ${extraCa ? `set (${extraCa}, read by Node at start-up)` : 'not set'}`,
  );
  console.log(`Node baseline (node -e 0): ${fmt(nodeMs)} ms, ${fmt(nodeCpu)} ms CPU, ${fmt(nodeRss)} MiB peak RSS\n`);
  const head = [
    'conversion (HERO6, 4000x3000)',
    'leakproof ms',
    'gpr_tools ms',
    'ref/ours (median of pairs)',
    'pairs won',
    'leakproof CPU ms',
    'gpr_tools CPU ms',
    'leakproof MiB',
    'gpr_tools MiB',
    'leakproof MiB - Node baseline',
  ];
  const body = rows.map((r) => [
    r.name,
    fmt(r.ourMs),
    fmt(r.refMs),
    `${fmt(r.ratio, 2)}x`,
    `${r.wins}/${runs}`,
    fmt(r.ourCpu),
    fmt(r.refCpu),
    fmt(r.ourRss),
    fmt(r.refRss),
    fmt(r.ourRss - nodeRss),
  ]);
  if (markdown) {
    console.log(`| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`);
    for (const b of body) console.log(`| ${b.join(' | ')} |`);
  } else {
    const Table = require('cli-table3');
    const t = new Table({ head });
    for (const b of body) t.push(b);
    console.log(t.toString());
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
