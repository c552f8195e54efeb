// Every conversion under the leak matcher (GPR/DNG/RAW in; GPR/DNG/RAW/PPM/JPEG out), to a Buffer and to a file,
// and detectFormat on bytes and paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METADATA, makeFixtures, type Fixtures } from '../support/images';
import { convert, detectFormat } from '../support/gpr';

let fx: Fixtures & { cleanup: () => void };

beforeAll(async () => {
  fx = await makeFixtures();
});
afterAll(() => fx?.cleanup());

test('the fixtures are what their names say', () => {
  expect([detectFormat(fx.gpr), detectFormat(fx.dng), detectFormat(fx.gprPath), detectFormat(fx.raw)]).toEqual([
    'gpr',
    'dng',
    'gpr',
    'unknown',
  ]);
});

// Conversions are the heaviest operations: fewer measured iterations, and a longer warm-up so V8 has finished
// optimising the JS around them (its one-off code growth is tens of KiB) before the baseline sample.
const ITER = { iterations: 60, warmup: 60 };

describe('from GPR', () => {
  test.each(['gpr', 'dng', 'raw'] as const)('GPR -> %s', async (to) => {
    await expect(() => convert(fx.gpr, { to })).not.toLeakMemory(ITER);
  });

  test('GPR -> GPR, fast quality', async () => {
    await expect(() => convert(fx.gpr, { to: 'gpr', quality: 'fast' })).not.toLeakMemory(ITER);
  });

  test.each([
    [8, 2],
    [16, 4],
  ] as const)('GPR -> PPM, %i-bit, resolution %i', async (bits, resolution) => {
    await expect(() => convert(fx.gpr, { to: 'ppm', bits, resolution })).not.toLeakMemory(ITER);
  });

  test('GPR -> JPEG', async () => {
    await expect(() => convert(fx.gpr, { to: 'jpg', resolution: 4 })).not.toLeakMemory(ITER);
  });

  test('GPR path -> DNG file (temporary file + rename, overwrite)', async () => {
    const out = path.join(fx.dir, 'out.dng');
    await expect(() => convert(fx.gprPath, { to: 'dng', output: out, overwrite: true })).not.toLeakMemory(ITER);
    expect(fs.readdirSync(fx.dir).sort()).toEqual(['out.dng', 'synthetic.dng', 'synthetic.gpr']);
  });
});

describe('from DNG', () => {
  test.each(['gpr', 'dng', 'raw'] as const)('DNG -> %s', async (to) => {
    await expect(() => convert(fx.dng, { to })).not.toLeakMemory(ITER);
  });

  test('DNG path -> JPEG', async () => {
    await expect(() => convert(fx.dngPath, { to: 'jpg', resolution: 8 })).not.toLeakMemory(ITER);
  });
});

describe('from headerless RAW', () => {
  test.each(['gpr', 'dng'] as const)('RAW -> %s with a metadata object', async (to) => {
    await expect(() => convert(fx.raw, { to, raw: fx.rawInfo, metadata: { ...METADATA } })).not.toLeakMemory(ITER);
  });

  test('RAW -> GPR with a metadata JSON file', async () => {
    const file = path.join(fx.dir, 'metadata.json');
    fs.writeFileSync(file, JSON.stringify(METADATA));
    try {
      await expect(() => convert(fx.raw, { to: 'gpr', raw: fx.rawInfo, metadata: file })).not.toLeakMemory(ITER);
    } finally {
      fs.rmSync(file);
    }
  });
});

describe('detectFormat', () => {
  test('on Buffers of every kind', async () => {
    await expect(() => [fx.gpr, fx.gpr14, fx.dng, fx.raw].map((b) => detectFormat(b))).not.toLeakMemory();
  });

  test('on paths', async () => {
    await expect(() => [fx.gprPath, fx.dngPath].map((p) => detectFormat(p))).not.toLeakMemory();
  });
});
