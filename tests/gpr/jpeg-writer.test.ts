// The native JPEG writer behind convert's `jpg` target: decodes (with jpeg-js, an independent decoder) to the 8-bit
// preview at every preview size, edge blocks included, and jpegQuality trades size for error.
import * as jpeg from 'jpeg-js';
import { GprImage, convert } from '../../src/gpr';
import { describeWithVectors, vectorPath } from '../helpers/vectors';

function meanError(jpg: Buffer, rgb: Uint8Array): number {
  const d = jpeg.decode(jpg, { useTArray: true });
  let diff = 0;
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    for (let k = 0; k < 3; k++) diff += Math.abs(rgb[i + k] - d.data[j + k]);
  }
  return diff / rgb.length;
}

describeWithVectors('convert to jpg (native baseline JPEG)', () => {
  const file = () => vectorPath('camera', 'GPFR7066.GPR');

  test.each([2, 4, 8, 16])('resolution %i: size and pixels of the 8-bit preview', async (resolution) => {
    const img = GprImage.open(file());
    const rgb = img.decodeRgb({ resolution: resolution as 2 | 4 | 8 | 16 });
    img.close();
    const jpg = await convert(file(), { to: 'jpg', resolution });
    const d = jpeg.decode(jpg, { useTArray: true });
    expect([d.width, d.height]).toEqual([rgb.width, rgb.height]);
    expect(meanError(jpg, rgb.data)).toBeLessThan(3);
  });

  test('jpegQuality: 10 gives a much smaller file with a larger error than 95', async () => {
    const img = GprImage.open(file());
    const rgb = img.decodeRgb({ resolution: 4 });
    img.close();
    const low = await convert(file(), { to: 'jpg', resolution: 4, jpegQuality: 10 });
    const high = await convert(file(), { to: 'jpg', resolution: 4, jpegQuality: 95 });
    expect(low.length * 3).toBeLessThan(high.length);
    expect(meanError(low, rgb.data)).toBeGreaterThan(meanError(high, rgb.data) * 1.5);
    expect(meanError(high, rgb.data)).toBeLessThan(2);
  });
});
