// Error paths under the leak matcher: every kind of malformed input (open and decode, sync and async, convert),
// calls after close(), bad arguments and I/O errors. Each iteration must end in a typed GprError; errors must not leak.
import * as path from 'node:path';
import { makeFixtures, makeMosaic, type Fixtures } from '../support/images';
import { malformedInputs, type MalformedInput } from '../support/malformed';
import { mustReject, mustThrow } from '../support/rejects';
import { GprError, GprImage, convert, encodeGpr, encodeGprAsync } from '../support/gpr';

let fx: Fixtures & { cleanup: () => void };
let kinds: MalformedInput[];

beforeAll(async () => {
  fx = await makeFixtures();
  kinds = malformedInputs(fx.gpr);
});
afterAll(() => fx?.cleanup());

/** open(), then (if it succeeded) both decodes: at least one step must fail with a GprError. */
function openAndDecode(m: MalformedInput): void {
  let img: GprImage;
  try {
    img = GprImage.open(m.bytes);
  } catch (err) {
    if (!(err instanceof GprError)) throw err;
    if (m.codes.length > 0 && !m.codes.includes(err.code))
      throw new Error(`${m.name}: unexpected ${err.code}: ${err.message}`);
    return;
  }
  if (m.codes.length > 0) throw new Error(`${m.name}: open() accepted it`);
  try {
    mustThrow(`${m.name}: decodeRaw`, () => img.decodeRaw());
    mustThrow(`${m.name}: decodeRgb`, () => img.decodeRgb({ resolution: 2 }));
  } finally {
    img.close();
  }
}

async function openAndDecodeAsync(m: MalformedInput): Promise<void> {
  let img: GprImage;
  try {
    img = await GprImage.openAsync(m.bytes);
  } catch (err) {
    if (!(err instanceof GprError)) throw err;
    return;
  }
  try {
    await mustReject(`${m.name}: decodeRawAsync`, () => img.decodeRawAsync());
    await mustReject(`${m.name}: decodeRgbAsync`, () => img.decodeRgbAsync({ resolution: 4, bits: 16 }));
  } finally {
    img.close();
  }
}

test('every malformed kind is rejected with a fitting typed error (no leak measurement: the functional check)', () => {
  expect(kinds.length).toBeGreaterThanOrEqual(15);
  for (const m of kinds) openAndDecode(m);
});

describe('malformed input, each kind in a loop', () => {
  // One assertion per kind, sync: a leak on one error path is not averaged away by the others.
  test.each(Array.from({ length: 17 }, (_, i) => i))('kind #%i: open + decode (sync)', async (i) => {
    const m = kinds[i];
    if (!m) throw new Error(`no malformed kind #${i}: update the count`);
    await expect(() => openAndDecode(m)).not.toLeakMemory({ iterations: 100 });
  });

  test('all kinds: openAsync + async decodes', async () => {
    await expect(async () => {
      for (const m of kinds) await openAndDecodeAsync(m);
    }).not.toLeakMemory({ iterations: 60 });
  });

  test('all kinds: convert to DNG', async () => {
    await expect(async () => {
      for (const m of kinds) await mustReject(`${m.name}: convert`, () => convert(m.bytes, { to: 'dng' }));
    }).not.toLeakMemory({ iterations: 60 });
  });
});

describe('calls after close()', () => {
  test('every method and getter throws GPR_E_CLOSED', async () => {
    const closed = GprImage.open(fx.gpr);
    closed.close();
    await expect(async () => {
      mustThrow('decodeRaw', () => closed.decodeRaw(), ['GPR_E_CLOSED']);
      mustThrow('decodeRgb', () => closed.decodeRgb({ resolution: 2 }), ['GPR_E_CLOSED']);
      mustThrow('info', () => closed.info, ['GPR_E_CLOSED']);
      mustThrow('metadata', () => closed.metadata, ['GPR_E_CLOSED']);
      mustThrow('width', () => closed.width, ['GPR_E_CLOSED']);
      await mustReject('decodeRawAsync', () => closed.decodeRawAsync(), ['GPR_E_CLOSED']);
      await mustReject('decodeRgbAsync', () => closed.decodeRgbAsync({ resolution: 4 }), ['GPR_E_CLOSED']);
    }).not.toLeakMemory();
  });

  test('open, decode, close, then call again', async () => {
    await expect(() => {
      const img = GprImage.open(fx.gpr);
      img.decodeRgb({ resolution: 16 });
      img.close();
      mustThrow('decodeRaw after close', () => img.decodeRaw(), ['GPR_E_CLOSED']);
    }).not.toLeakMemory();
  });
});

describe('bad arguments', () => {
  let img: GprImage;
  beforeAll(() => {
    img = GprImage.open(fx.gpr);
  });
  afterAll(() => img?.close());
  const mosaic = makeMosaic(64, 48);

  test('GprImage.open / openAsync with non-inputs', async () => {
    await expect(async () => {
      mustThrow('open(42)', () => GprImage.open(42 as unknown as string), ['GPR_E_ARGUMENT']);
      mustThrow("open('')", () => GprImage.open(''), ['GPR_E_ARGUMENT']);
      await mustReject('openAsync(null)', () => GprImage.openAsync(null as unknown as string), ['GPR_E_ARGUMENT']);
    }).not.toLeakMemory();
  });

  test('decode options out of range', async () => {
    await expect(async () => {
      mustThrow('resolution 3', () => img.decodeRgb({ resolution: 3 as 2 }), ['GPR_E_ARGUMENT']);
      mustThrow('bits 12', () => img.decodeRgb({ resolution: 2, bits: 12 as 8 }), ['GPR_E_ARGUMENT']);
      mustThrow('raw resolution 2', () => img.decodeRaw({ resolution: 2 as 1 }), ['GPR_E_ARGUMENT']);
      mustThrow('threads 0', () => img.decodeRaw({ threads: 0 }), ['GPR_E_ARGUMENT']);
      await mustReject('async threads 99', () => img.decodeRawAsync({ threads: 99 }), ['GPR_E_ARGUMENT']);
    }).not.toLeakMemory();
  });

  test('encoder input rejected (length, odd size, bit depth, values out of range)', async () => {
    const tooBright = Uint16Array.from(mosaic.data, () => 4096);
    await expect(async () => {
      mustThrow('short data', () => encodeGpr({ ...mosaic, data: mosaic.data.subarray(1) }), ['GPR_E_ARGUMENT']);
      mustThrow('odd width', () => encodeGpr({ ...mosaic, width: 63 }), ['GPR_E_ARGUMENT']);
      mustThrow('bit depth 10', () => encodeGpr({ ...mosaic, bitDepth: 10 as 12 }), ['GPR_E_ARGUMENT']);
      mustThrow('too large', () => encodeGpr({ ...mosaic, width: 20000 }), ['GPR_E_LIMIT', 'GPR_E_ARGUMENT']);
      await mustReject('values beyond 12 bits', () => encodeGprAsync({ ...mosaic, data: tooBright }), [
        'GPR_E_ARGUMENT',
      ]);
    }).not.toLeakMemory();
  });

  test('convert options rejected', async () => {
    await expect(async () => {
      await mustReject('to tiff', () => convert(fx.gpr, { to: 'tiff' as 'dng' }), ['GPR_E_ARGUMENT']);
      await mustReject('raw without description', () => convert(fx.raw, { to: 'gpr' }));
      await mustReject('output exists', () => convert(fx.gpr, { to: 'dng', output: fx.dngPath }));
    }).not.toLeakMemory({ iterations: 100 });
  });

  test('missing files (GPR_E_IO)', async () => {
    const missing = path.join(fx.dir, 'does-not-exist.gpr');
    await expect(async () => {
      mustThrow('open', () => GprImage.open(missing), ['GPR_E_IO']);
      await mustReject('openAsync', () => GprImage.openAsync(missing), ['GPR_E_IO']);
      await mustReject('convert', () => convert(missing, { to: 'dng' }), ['GPR_E_IO']);
    }).not.toLeakMemory({ iterations: 100 });
  });
});
