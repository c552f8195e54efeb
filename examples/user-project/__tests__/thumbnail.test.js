// Native example: leakproof measures the native (malloc) heap too, so a C++ addon that forgets a free() is caught.
/* global test, expect */
// Here the addon is leakproof's own GPR codec; the test image is made with its encoder from synthetic pixels.
const { encodeGpr } = require('leakproof/gpr');
const { previewSize, jpegPreview } = require('../src/thumbnail');

function syntheticGpr() {
  const width = 128;
  const height = 96;
  const data = new Uint16Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (i * 29 + (i >> 7) * 13) & 0xfff;
  return encodeGpr({ data, width, height, bitDepth: 12, cfaPattern: 'RGGB' });
}

const gpr = syntheticGpr();

test('the preview of a 128x96 image at 1/8 size is 16x12', () => {
  expect(previewSize(gpr)).toEqual({ width: 16, height: 12 });
});

test('making previews does not leak native or JS memory', async () => {
  await expect(() => previewSize(gpr)).not.toLeakMemory();
}, 60_000); // leak tests repeat the code hundreds of times: give them more than Jest's 5 s default

test('async JPEG conversion does not leak either (fewer iterations, a larger threshold)', async () => {
  await expect(() => jpegPreview(gpr)).not.toLeakMemory({ iterations: 60, threshold: 256 * 1024 });
}, 60_000);
