// Decoding under the leak matcher: full-resolution RAW and every RGB preview resolution and bit depth, sync and async,
// several concurrent async decodes, and multi-threaded decodes. The image stays open; each call's output is dropped.
import { makeFixtures, type Fixtures } from '../support/images';
import { GprImage } from '../support/gpr';

const RESOLUTIONS = [2, 4, 8, 16] as const;
const BITS = [8, 16] as const;

let fx: Fixtures & { cleanup: () => void };
let img: GprImage;
let img14: GprImage;

beforeAll(async () => {
  fx = await makeFixtures();
  img = GprImage.open(fx.gpr);
  img14 = GprImage.open(fx.gpr14);
});
afterAll(() => {
  img?.close();
  img14?.close();
  fx?.cleanup();
});

test('the fixtures decode to the expected sizes', async () => {
  const raw = img.decodeRaw();
  expect([raw.width, raw.height, raw.data.length]).toEqual([256, 192, 256 * 192]);
  // Resolution N gives 1/N of the image size (the typed array comes from the addon's realm: no instanceof here).
  const rgb = await img.decodeRgbAsync({ resolution: 4, bits: 16 });
  expect([rgb.width, rgb.height, rgb.data.length, rgb.data.BYTES_PER_ELEMENT]).toEqual([64, 48, 64 * 48 * 3, 2]);
  expect(img14.decodeRaw().data.length).toBe(192 * 128);
});

describe('RAW (resolution 1)', () => {
  test('decodeRaw()', async () => {
    await expect(() => img.decodeRaw()).not.toLeakMemory();
  });

  test('decodeRawAsync()', async () => {
    await expect(() => img.decodeRawAsync()).not.toLeakMemory();
  });

  test('decodeRaw({ threads: 4 })', async () => {
    await expect(() => img.decodeRaw({ threads: 4 })).not.toLeakMemory();
  });

  test('decodeRawAsync({ threads: 4 }) on the 14-bit GBRG fast-quality file', async () => {
    await expect(() => img14.decodeRawAsync({ threads: 4 })).not.toLeakMemory();
  });
});

describe.each(BITS)('RGB previews, %i-bit', (bits) => {
  test.each(RESOLUTIONS)('decodeRgb({ resolution: %i })', async (resolution) => {
    await expect(() => img.decodeRgb({ resolution, bits })).not.toLeakMemory({ iterations: 100 });
  });

  test.each(RESOLUTIONS)('decodeRgbAsync({ resolution: %i })', async (resolution) => {
    await expect(() => img.decodeRgbAsync({ resolution, bits })).not.toLeakMemory({ iterations: 100 });
  });
});

describe('concurrent async decodes', () => {
  test('4 decodes of one image at once (RAW and three previews)', async () => {
    await expect(() =>
      Promise.all([
        img.decodeRawAsync(),
        img.decodeRgbAsync({ resolution: 2 }),
        img.decodeRgbAsync({ resolution: 4, bits: 16 }),
        img.decodeRgbAsync({ resolution: 16 }),
      ]),
    ).not.toLeakMemory({ iterations: 100 });
  });

  test('3 images each opened, decoded and closed concurrently', async () => {
    await expect(() =>
      Promise.all(
        [fx.gpr, fx.gpr14, fx.gprPath].map(async (src) => {
          const im = await GprImage.openAsync(src);
          try {
            return (await im.decodeRawAsync()).data.length;
          } finally {
            im.close();
          }
        }),
      ),
    ).not.toLeakMemory({ iterations: 100 });
  });
});
