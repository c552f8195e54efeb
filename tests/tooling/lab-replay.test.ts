// The verdict lab's replay on a tiny corpus: a clean recording stays clean, the same recording with a synthetic leak added
// is a leak, and the tune/report split follows the process index.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lab = require('../../bench/lab/replay.js') as {
  withLeak: (run: Run, perCall: number, objectSize: number, rand: () => number) => Run;
  replaySurvival: (run: Run) => { decision: string; look: number; ms: number };
  loadCorpus: (files: string[]) => Run[];
};

interface Run {
  type: string;
  name: string;
  process: number;
  interval: number;
  metrics: string[];
  x: number[];
  rows: number[][];
  looks: { horizon: number; count: number[]; bytes: number[] }[];
  stages: { horizon: number; wallMs: number; readMs: number }[];
}

/** A recording of clean code over the engine's ladder to 6,400 calls: a few one-off samples in the first window only. */
function cleanRecording(proc: number): Run {
  const x = [0];
  for (let from = 0, to = 200; to <= 6400; from = to, to *= 2) {
    for (let r = 1; r <= 20; r++) x.push(from + Math.round((r * (to - from)) / 20));
  }
  const batches = x.length - 1;
  const looks = [];
  const stages = [];
  for (let k = 0, h = 200; h <= 6400; k++, h *= 2) {
    const n = 20 * (k + 1);
    const count = Array.from({ length: n }, (_, r) => (r < 3 ? 2 : 0));
    looks.push({ horizon: h, count, bytes: count.map((c) => c * 1040) });
    stages.push({ horizon: h, wallMs: 100, readMs: 5 });
  }
  return {
    type: 'clean',
    name: 'flat',
    process: proc,
    interval: 1024,
    metrics: ['heap'],
    x,
    rows: x.map(() => [5e7]),
    looks: looks.map((l) => ({ ...l, count: l.count.slice(0, batches), bytes: l.bytes.slice(0, batches) })),
    stages,
  };
}

describe('bench/lab/replay.js', () => {
  test('clean stays clean; a synthetic 1 KiB/call leak added to it is a leak', () => {
    const run = cleanRecording(1);
    expect(lab.replaySurvival(run).decision).toBe('clean');
    let seed = 5;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const leaky = lab.withLeak(run, 1024, 32, rand);
    expect(leaky.looks[3].count.slice(20, 40).reduce((s, c) => s + c, 0)).toBeGreaterThan(100);
    expect(lab.replaySurvival(leaky).decision).toBe('leak');
  });

  test('the corpus splits into tune (even processes) and report (odd processes)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-'));
    try {
      const file = path.join(dir, 'tiny.jsonl.gz');
      fs.writeFileSync(file, zlib.gzipSync([0, 1, 2, 3].map((p) => JSON.stringify(cleanRecording(p))).join('\n')));
      // loadCorpus reads the part from the command line; the default is the report half.
      expect(lab.loadCorpus([file]).map((r) => r.process)).toEqual([1, 3]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
