// Encoding under the leak matcher: both qualities, sync and async, 12- and 14-bit, with and without metadata,
// the bare VC-5 payload, and concurrent async encodes.
import { METADATA, makeGpmf, makeMosaic } from '../support/images';
import { GprImage, encodeGpr, encodeGprAsync, encodeVc5 } from '../support/gpr';

const m12 = makeMosaic();
const m14 = makeMosaic(192, 128, 14, 'GBRG', 3);
const metadata = { ...METADATA, gpmf: makeGpmf() };

test('a fresh encode opens with the dimensions it was given', () => {
  const img = GprImage.open(encodeGpr({ ...m12, quality: 'fs1' }));
  try {
    expect([img.width, img.height]).toEqual([m12.width, m12.height]);
  } finally {
    img.close();
  }
});

describe.each(['fs1', 'fast'] as const)('quality %s', (quality) => {
  test('encodeGpr, 12-bit RGGB', async () => {
    await expect(() => encodeGpr({ ...m12, quality })).not.toLeakMemory({ iterations: 100 });
  });

  test('encodeGprAsync, 12-bit RGGB', async () => {
    await expect(() => encodeGprAsync({ ...m12, quality })).not.toLeakMemory({ iterations: 100 });
  });

  test('encodeGpr, 14-bit GBRG with metadata and GPMF', async () => {
    await expect(() => encodeGpr({ ...m14, quality, metadata })).not.toLeakMemory({ iterations: 100 });
  });

  test('encodeGprAsync, 14-bit GBRG with metadata and GPMF', async () => {
    await expect(() => encodeGprAsync({ ...m14, quality, metadata })).not.toLeakMemory({ iterations: 100 });
  });
});

test('encodeVc5 (the bare payload)', async () => {
  await expect(() => encodeVc5({ ...m12 })).not.toLeakMemory({ iterations: 100 });
});

test('encodeGprAsync with threads: 4', async () => {
  await expect(() => encodeGprAsync({ ...m12, threads: 4 })).not.toLeakMemory({ iterations: 100 });
});

test('3 concurrent async encodes', async () => {
  await expect(() =>
    Promise.all([
      encodeGprAsync({ ...m12 }),
      encodeGprAsync({ ...m12, quality: 'fast' }),
      encodeGprAsync({ ...m14, metadata }),
    ]),
  ).not.toLeakMemory({ iterations: 60 });
});
