// Endurance (opt-in: `npm run leaks:long`): thousands of mixed codec operations, then the growth pattern over time:
// no steady (linear) growth in any metric, a stable baseline, and controls showing the analysis tells a plateau
// (bounded cache) from a slow leak over the same horizon.
import * as path from 'node:path';
import type * as Profiler from '../../../src/profiler';
import { makeFixtures, makeMosaic, type Fixtures } from '../support/images';
import { malformedInputs } from '../support/malformed';
import { analyzeGrowth, type GrowthAnalysis } from '../support/growthPattern';
import { GprError, GprImage, convert, detectFormat, encodeGpr, encodeGprAsync } from '../support/gpr';

// The compiled profiler, so it shares the matcher's engine state (GC handle, per-worker calibration).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runMemoryStressTest } = require(
  path.resolve(__dirname, '..', '..', '..', 'dist', 'src', 'profiler'),
) as typeof Profiler;

const ITERATIONS = Number(process.env.LEAKPROOF_ENDURANCE_ITERATIONS ?? 5000);
const SAMPLES = 80;
/** Tolerated movement of a metric over the whole run. */
const TOLERANCE = 256 * 1024;

let fx: Fixtures & { cleanup: () => void };
let kept: GprImage;
let bad: Buffer[];
const small = makeMosaic(96, 64);
let op = 0;

beforeAll(async () => {
  fx = await makeFixtures();
  kept = GprImage.open(fx.gpr);
  bad = malformedInputs(fx.gpr).map((m) => m.bytes);
});
afterAll(() => {
  kept?.close();
  fx?.cleanup();
});

/** One of twelve codec operations, in rotation: every public entry point recurs hundreds of times. */
async function mixedOperation(): Promise<unknown> {
  const k = op++ % 12;
  switch (k) {
    case 0: {
      using img = GprImage.open(fx.gpr);
      return img.decodeRaw().data.length;
    }
    case 1:
      return (await kept.decodeRgbAsync({ resolution: ([2, 4, 8, 16] as const)[op % 4], bits: op % 2 ? 8 : 16 })).width;
    case 2:
      return kept.decodeRgb({ resolution: 8 }).width;
    case 3:
      return (await GprImage.openAsync(fx.gpr14)).info.width; // dropped without close: the finalizer frees it
    case 4:
      return encodeGpr({ ...small, quality: 'fast' }).length;
    case 5:
      return (await encodeGprAsync({ ...small })).length;
    case 6:
      return (
        await convert(fx.gpr, {
          to: (['dng', 'raw', 'ppm', 'jpg', 'gpr'] as const)[op % 5],
          ...(op % 5 === 3 ? { resolution: 4 } : {}),
        })
      ).length;
    case 7:
      return (await convert(fx.dng, { to: 'gpr', quality: 'fast' })).length;
    case 8: {
      using img = GprImage.open(fx.gprPath);
      return img.metadata.gpmf.length;
    }
    case 9:
      return detectFormat(op % 2 ? fx.gpr : fx.dngPath);
    case 10:
      try {
        GprImage.open(bad[op % bad.length]).decodeRaw();
      } catch (err) {
        if (!(err instanceof GprError)) throw err;
      }
      return 0;
    default:
      return (await kept.decodeRawAsync({ threads: 2 })).data.length;
  }
}

function describeWindows(a: GrowthAnalysis): string {
  return `${a.pattern}: ${a.reason}; windows: ${a.windows.map((w) => `${Math.round(w.slope)}/iter`).join(', ')}`;
}

test(`${ITERATIONS} mixed operations: no leak (matcher verdict)`, async () => {
  await expect(mixedOperation).not.toLeakMemory({
    iterations: ITERATIONS,
    warmup: 240,
    samples: SAMPLES,
    threshold: TOLERANCE,
  });
});

test(`${ITERATIONS} mixed operations: every memory metric is stable or plateaus, none grows linearly`, async () => {
  const r = await runMemoryStressTest(mixedOperation, {
    iterations: ITERATIONS,
    warmup: 240,
    samples: SAMPLES,
    threshold: TOLERANCE,
  });
  const verdicts: Record<string, string> = {};
  for (const m of r.measurements) {
    if (m.unit !== 'bytes' || m.metric === 'rss') continue;
    const a = analyzeGrowth(m.sampleIterations, m.samples, TOLERANCE);
    verdicts[m.metric] = describeWindows(a);
    expect({ metric: m.metric, pattern: a.pattern === 'linear' ? describeWindows(a) : 'not linear' }).toEqual({
      metric: m.metric,
      pattern: 'not linear',
    });
  }
  // Printed after measuring (never inside the measured function): the per-window picture of the run.
  console.log(
    `growth pattern over ${ITERATIONS} mixed operations:\n${Object.entries(verdicts)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`,
  );
  expect(Object.keys(verdicts).sort()).toEqual(expect.arrayContaining(['external', 'heap', 'native']));
  expect(r.leak).toBe(false);
});

describe('controls over the same horizon (they prove the analysis can tell the patterns apart)', () => {
  test('a bounded cache (fills to 600 entries of 1 KiB, then evicts the oldest) is a plateau, not a leak', async () => {
    const cache = new Map<number, Buffer>();
    let i = 0;
    const r = await runMemoryStressTest(
      () => {
        cache.set(i++, Buffer.alloc(1024, i & 0xff));
        if (cache.size > 600) cache.delete(cache.keys().next().value as number);
        return kept.decodeRgb({ resolution: 16 }).width;
      },
      { iterations: 2000, warmup: 0, samples: 60, threshold: TOLERANCE },
    );
    const ext = r.measurements.find((m) => m.metric === 'external')!;
    expect(describeWindows(analyzeGrowth(ext.sampleIterations, ext.samples, 128 * 1024))).toMatch(/^plateau/);
    cache.clear();
  });

  test('a slow leak (one 256-byte Buffer per operation) is linear growth', async () => {
    const leaked: Buffer[] = [];
    const r = await runMemoryStressTest(
      () => {
        leaked.push(Buffer.alloc(256, 1));
        return kept.decodeRgb({ resolution: 16 }).width;
      },
      { iterations: ITERATIONS, warmup: 20, samples: SAMPLES, threshold: TOLERANCE },
    );
    const heapOrExt = r.measurements.filter((m) => m.metric === 'external' || m.metric === 'heap');
    const patterns = heapOrExt.map((m) => analyzeGrowth(m.sampleIterations, m.samples, TOLERANCE));
    expect(patterns.some((a) => a.pattern === 'linear')).toBe(true);
    leaked.length = 0;
  });
});
