// Metadata and GPMF reads under the leak matcher: each iteration opens a fresh image (GprImage caches what it read).
import { makeFixtures, type Fixtures } from '../support/images';
import { GprImage } from '../support/gpr';

let fx: Fixtures & { cleanup: () => void };

beforeAll(async () => {
  fx = await makeFixtures();
});
afterAll(() => fx?.cleanup());

test('the fixture carries the metadata and GPMF block it was encoded with', () => {
  using img = GprImage.open(fx.gpr);
  expect([img.metadata.make, img.metadata.model, img.metadata.iso]).toEqual(['GoPro', 'leakproof synthetic', 200]);
  expect(img.metadata.gpmf.equals(fx.gpmf)).toBe(true);
});

test('info (dimensions, levels, VC-5 facts)', async () => {
  await expect(() => {
    using img = GprImage.open(fx.gpr);
    return img.info.vc5.quantization.length;
  }).not.toLeakMemory();
});

test('metadata (EXIF, colour matrices, noise profile)', async () => {
  await expect(() => {
    using img = GprImage.open(fx.gpr);
    return img.metadata.colorMatrix1?.length;
  }).not.toLeakMemory();
});

test('GPMF payload read and compared', async () => {
  await expect(() => {
    using img = GprImage.open(fx.gpr);
    if (!img.metadata.gpmf.equals(fx.gpmf)) throw new Error('GPMF payload changed');
  }).not.toLeakMemory();
});

test('metadata of the 14-bit file without GPMF, via openAsync', async () => {
  await expect(async () => {
    using img = await GprImage.openAsync(fx.gpr14);
    return img.metadata.gpmf.length + img.width;
  }).not.toLeakMemory();
});

test('width/height/cfaPattern on an image kept open', async () => {
  using img = GprImage.open(fx.gpr);
  await expect(() => img.width + img.height + img.cfaPattern.length).not.toLeakMemory();
});
