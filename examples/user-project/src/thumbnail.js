// A native-code example: make a small JPEG preview of a GoPro GPR raw photo with leakproof/gpr (a C++ addon).
const { GprImage, convert } = require('leakproof/gpr');

/** Width and height of a GPR file's 1/8-size RGB preview. The image is closed even when decoding throws. */
function previewSize(gprBytes) {
  const img = GprImage.open(gprBytes);
  try {
    const rgb = img.decodeRgb({ resolution: 8 });
    return { width: rgb.width, height: rgb.height };
  } finally {
    img.close(); // also freed by the garbage collector, but closing frees the native decoder at once
  }
}

/** A JPEG preview (quarter size) of a GPR file, as bytes. */
function jpegPreview(gprBytes) {
  return convert(gprBytes, { to: 'jpg', resolution: 4 });
}

module.exports = { previewSize, jpegPreview };
