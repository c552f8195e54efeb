// Bit-exactness of the GPR decoder against the reference figures in the shared vectors' manifest.json.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { GprImage } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

interface Ppm {
  bits: number;
  width?: number;
  height?: number;
  sha256: string;
  sha256_pixels_only?: string;
}
interface CameraVector {
  file: string;
  cfa_pattern: string;
  decoded_raw: { width: number; height: number; bit_depth: number; sha256: string };
  crops: Record<string, { file: string; x: number; y: number; width: number; height: number; sha256: string }>;
  rgb_preview_ppm: Record<string, Ppm>;
  vc5_tile: { offset: number; bytes: number };
  metadata: {
    make: string;
    model: string;
    iso: number;
    exposure_time: [number, number];
    white_level: number;
    gpmf_payload_bytes: number;
  };
}
interface SyntheticEncode {
  file: string;
  vc5_tile_offset: number;
  vc5_tile_bytes: number;
  decoded_raw: { sha256: string; file?: string };
  rgb_preview_ppm_16bit?: Record<string, { width: number; height: number; sha256: string }>;
}
interface SyntheticVector {
  width: number;
  height: number;
  encodes: Record<string, SyntheticEncode>;
}

const sha256 = (data: ArrayBufferView): string =>
  createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex');

/** The reference's PPM bytes for an RGB image: P6 header then samples (16-bit big-endian). */
function ppmBytes(data: Uint8Array | Uint16Array, width: number, height: number, bits: number): Buffer {
  const header = Buffer.from(`P6\n${width} ${height}\n${bits === 16 ? 65535 : 255}\n`, 'latin1');
  return Buffer.concat([header, ppmPixels(data, bits)]);
}

function ppmPixels(data: Uint8Array | Uint16Array, bits: number): Buffer {
  if (bits === 8) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out = Buffer.alloc(data.length * 2);
  for (let i = 0; i < data.length; i++) out.writeUInt16BE(data[i], 2 * i);
  return out;
}

function crop(raw: { data: Uint16Array; width: number }, x: number, y: number, w: number, h: number): Uint16Array {
  const out = new Uint16Array(w * h);
  for (let r = 0; r < h; r++) out.set(raw.data.subarray((y + r) * raw.width + x, (y + r) * raw.width + x + w), r * w);
  return out;
}

describeWithVectors('GPR decoder: bit-exact against the reference (manifest.json)', () => {
  const manifest = loadManifest();
  const cameras = manifest.camera as CameraVector[];
  const synthetic = manifest.synthetic as SyntheticVector[];

  describe.each(cameras.map((c) => [c.file, c] as const))('camera %s', (_name, cam) => {
    let img: GprImage;
    beforeAll(() => {
      img = GprImage.open(vectorPath(cam.file));
    });
    afterAll(() => img.close());

    test('info: size, CFA, bit depth, camera layout, VC-5 tile position', () => {
      expect(img.width).toBe(cam.decoded_raw.width);
      expect(img.height).toBe(cam.decoded_raw.height);
      expect(img.cfaPattern).toBe(cam.cfa_pattern);
      expect(img.info.bitDepth).toBe(cam.decoded_raw.bit_depth);
      expect(img.info.layout).toBe('ifd0');
      expect(img.info.vc5.payloadOffset).toBe(cam.vc5_tile.offset);
      expect(img.info.vc5.payloadBytes).toBe(cam.vc5_tile.bytes);
    });

    test('metadata matches the reference dump', () => {
      const m = img.metadata;
      expect(m.make).toBe(cam.metadata.make);
      expect(m.model).toBe(cam.metadata.model);
      expect(m.iso).toBe(cam.metadata.iso);
      // The reference prints exposure as 1/x (Fusion stores 538/1000000, dumped as 1/1859): compare the value.
      expect(m.exposureTime).toBeCloseTo(cam.metadata.exposure_time[0] / cam.metadata.exposure_time[1], 6);
      expect(m.whiteLevel).toBe(cam.metadata.white_level);
      // The reference counts the "GoPro\n" prefix and one extra byte (format doc 1.6); we strip the prefix.
      expect(m.gpmf.length).toBe(cam.metadata.gpmf_payload_bytes === 0 ? 0 : cam.metadata.gpmf_payload_bytes - 7);
      expect(m.colorMatrix1).toHaveLength(9);
    });

    test('decodeRaw equals the reference RAW (SHA-256) and its crops', () => {
      const raw = img.decodeRaw({ resolution: 1 });
      expect(raw.width * raw.height).toBe(raw.data.length);
      expect(sha256(raw.data)).toBe(cam.decoded_raw.sha256);
      for (const c of Object.values(cam.crops)) {
        const mine = crop(raw, c.x, c.y, c.width, c.height);
        expect(sha256(mine)).toBe(c.sha256);
        const ref = fs.readFileSync(vectorPath(c.file));
        expect(Buffer.compare(Buffer.from(mine.buffer), ref)).toBe(0);
      }
    });

    test('decodeRgb 16-bit equals the reference PPM pixels at 2:1, 4:1, 8:1, 16:1', () => {
      for (const [key, ppm] of Object.entries(cam.rgb_preview_ppm)) {
        if (ppm.bits !== 16) continue;
        const resolution = Number(key.split(':')[0]) as 2 | 4 | 8 | 16;
        const rgb = img.decodeRgb({ resolution, bits: 16 });
        expect([rgb.width, rgb.height, rgb.channels]).toEqual([ppm.width, ppm.height, 3]);
        expect(
          createHash('sha256')
            .update(ppmBytes(rgb.data, rgb.width, rgb.height, 16))
            .digest('hex'),
        ).toBe(ppm.sha256);
      }
    });

    test('decodeRgb 16-bit at 8:1 equals the kept PPM file byte for byte', () => {
      const ppm = cam.rgb_preview_ppm['8:1'] as Ppm & { file: string };
      const rgb = img.decodeRgb({ resolution: 8, bits: 16 });
      expect(Buffer.compare(ppmBytes(rgb.data, rgb.width, rgb.height, 16), fs.readFileSync(vectorPath(ppm.file)))).toBe(
        0,
      );
    });

    test('decodeRgb 8-bit at 4:1 (white balance + sqrt gamma) equals the reference PPM', () => {
      const ppm = cam.rgb_preview_ppm['4:1 8-bit'];
      const rgb = img.decodeRgb({ resolution: 4, bits: 8 });
      expect(rgb.data.constructor.name).toBe('Uint8Array');
      expect(
        createHash('sha256')
          .update(ppmBytes(rgb.data, rgb.width, rgb.height, 8))
          .digest('hex'),
      ).toBe(ppm.sha256);
    });
  });

  const encodes = synthetic.flatMap((s) => Object.entries(s.encodes).map(([kind, e]) => [e.file, kind, s, e] as const));

  describe.each(encodes)('synthetic %s (%s)', (_file, _kind, syn, enc) => {
    test('decodeRaw equals the reference decode (SHA-256); raw image in SubIFD[0]', () => {
      using img = GprImage.open(vectorPath(enc.file));
      expect([img.width, img.height]).toEqual([syn.width, syn.height]);
      expect(img.info.layout).toBe('subifd');
      expect(img.info.vc5.payloadOffset).toBe(enc.vc5_tile_offset);
      expect(img.info.vc5.payloadBytes).toBe(enc.vc5_tile_bytes);
      const raw = img.decodeRaw({ resolution: 1 });
      expect(sha256(raw.data)).toBe(enc.decoded_raw.sha256);
      if (enc.decoded_raw.file) {
        expect(Buffer.compare(Buffer.from(raw.data.buffer), fs.readFileSync(vectorPath(enc.decoded_raw.file)))).toBe(0);
      }
    });

    test('decodeRgb 16-bit equals the reference PPM at every recorded resolution', () => {
      const ppms = Object.entries(enc.rgb_preview_ppm_16bit ?? {});
      expect(ppms.length).toBeGreaterThan(0);
      using img = GprImage.open(vectorPath(enc.file));
      for (const [key, ppm] of ppms) {
        const resolution = Number(key.split(':')[0]) as 2 | 4 | 8 | 16;
        const rgb = img.decodeRgb({ resolution, bits: 16 });
        expect([rgb.width, rgb.height]).toEqual([ppm.width, ppm.height]);
        expect(
          createHash('sha256')
            .update(ppmBytes(rgb.data, rgb.width, rgb.height, 16))
            .digest('hex'),
        ).toBe(ppm.sha256);
      }
    });
  });
});
