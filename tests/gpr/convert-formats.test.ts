// convert() between GPR, DNG, RAW, PPM and JPEG on the real vectors: pixels and metadata survive the round trips.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { GprImage, convert, detectFormat } from '../../src/gpr';
import { describeWithVectors, loadManifest, vectorPath } from '../helpers/vectors';

const sha256 = (b: ArrayBufferView): string =>
  crypto
    .createHash('sha256')
    .update(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
    .digest('hex');

interface CameraRecord {
  file?: string;
  name?: string;
  decoded_raw: { sha256: string; width: number; height: number };
}

describeWithVectors('convert between formats (vectors)', () => {
  const manifest = loadManifest();
  const camera = manifest.camera as CameraRecord[];
  const hero6 = vectorPath('camera', 'GOPR0024.GPR');
  const fusion = vectorPath('camera', 'GPFR7066.GPR');
  const hero6Raw = camera.find((c) => JSON.stringify(c).includes('GOPR0024')) as CameraRecord;
  const synthRaw = vectorPath('synthetic', 'synth_0640x0480_seed1.input.raw');
  const synthFs1 = (
    manifest.synthetic as {
      width: number;
      encodes: {
        fs1: {
          vc5_payload_sha256: string;
          decoded_raw: { sha256: string };
          rgb_preview_ppm_16bit: Record<string, { sha256: string }>;
        };
      };
    }[]
  ).find((s) => s.width === 640)?.encodes.fs1;
  let dir: string;
  let hero6Dng: Buffer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-convert-'));
    hero6Dng = await convert(hero6, { to: 'dng' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const metadataOf = (file: string | Buffer) => {
    const img = GprImage.open(file);
    try {
      return img.metadata;
    } finally {
      img.close();
    }
  };

  test('GPR -> RAW equals the reference decode', async () => {
    const raw = await convert(hero6, { to: 'raw' });
    expect(raw.length).toBe(4000 * 3000 * 2);
    expect(sha256(raw)).toBe(hero6Raw.decoded_raw.sha256);
  });

  test('GPR -> DNG is an uncompressed 16-bit DNG whose samples are the reference decode', async () => {
    expect(detectFormat(hero6Dng)).toBe('dng');
    expect(hero6Dng.length).toBeGreaterThan(4000 * 3000 * 2);
    expect(sha256(await convert(hero6Dng, { to: 'raw' }))).toBe(hero6Raw.decoded_raw.sha256);
  });

  test('DNG -> DNG reproduces the DNG byte for byte', async () => {
    expect((await convert(hero6Dng, { to: 'dng' })).equals(hero6Dng)).toBe(true);
  });

  test('DNG -> GPR keeps every metadata field of the camera file', async () => {
    const gpr = await convert(hero6Dng, { to: 'gpr' });
    expect(detectFormat(gpr)).toBe('gpr');
    const original = metadataOf(hero6);
    const back = metadataOf(gpr);
    expect(back).toEqual(original);
    expect(back.colorMatrix1).toHaveLength(9);
    expect(back.opcodeList2.length).toBeGreaterThan(0);
  });

  test('GPMF payload (Fusion) survives GPR -> DNG -> GPR byte for byte', async () => {
    const original = metadataOf(fusion);
    expect(original.gpmf.length).toBeGreaterThan(0);
    const dng = await convert(fusion, { to: 'dng' });
    const gpr = await convert(dng, { to: 'gpr', quality: 'fast' });
    const back = metadataOf(gpr);
    expect(back.gpmf.equals(original.gpmf)).toBe(true);
    expect(back).toEqual(original);
  });

  test('RAW -> GPR with a metadata object: reference payload, metadata stored', async () => {
    const md = { make: 'GoPro', model: 'HERO7 Black', exposureTime: [1, 455], iso: 100, fNumber: [28, 10] };
    const gpr = await convert(synthRaw, {
      to: 'gpr',
      raw: { width: 640, height: 480, cfaPattern: 'RGGB', bitDepth: 12 },
      metadata: md,
    });
    const img = GprImage.open(gpr);
    expect(
      sha256(gpr.subarray(img.info.vc5.payloadOffset, img.info.vc5.payloadOffset + img.info.vc5.payloadBytes)),
    ).toBe(synthFs1?.vc5_payload_sha256);
    expect(sha256(img.decodeRaw().data)).toBe(synthFs1?.decoded_raw.sha256);
    expect(img.metadata.model).toBe('HERO7 Black');
    expect(img.metadata.exposureTimeRational).toEqual([1, 455]);
    expect(img.metadata.fNumber).toBeCloseTo(2.8, 9);
    expect(img.metadata.whiteLevel).toBe(4095);
    img.close();
  });

  test("RAW -> DNG with metadata from a JSON file (a camera file's metadata, GPMF included) -> RAW is lossless", async () => {
    const fusionMd = metadataOf(fusion);
    const jsonFile = path.join(dir, 'meta.json');
    fs.writeFileSync(jsonFile, JSON.stringify(fusionMd));
    const input = fs.readFileSync(synthRaw);
    const out = path.join(dir, 'synth.dng');
    await convert(synthRaw, {
      to: 'dng',
      output: out,
      raw: { width: 640, height: 480, bitDepth: 12 },
      metadata: jsonFile,
    });
    const dng = fs.readFileSync(out);
    expect(detectFormat(out)).toBe('dng');
    expect((await convert(dng, { to: 'raw' })).equals(input)).toBe(true);
    const viaGpr = metadataOf(await convert(dng, { to: 'gpr' }));
    expect(viaGpr.gpmf.equals(fusionMd.gpmf)).toBe(true);
    expect(viaGpr.colorMatrix1).toEqual(fusionMd.colorMatrix1);
    expect(viaGpr.asShotNeutral).toEqual(fusionMd.asShotNeutral);
    expect(viaGpr.model).toBe(fusionMd.model);
    expect(viaGpr.exposureTimeRational).toEqual(fusionMd.exposureTimeRational);
  });

  test('12-bit GPR -> DNG states 14-bit levels for its 14-bit samples', async () => {
    const dng = await convert(vectorPath('synthetic', 'synth_0640x0480_seed1.fs1.GPR'), { to: 'dng' });
    const raw = await convert(dng, { to: 'raw' });
    expect(sha256(raw)).toBe(synthFs1?.decoded_raw.sha256);
    const md = metadataOf(await convert(dng, { to: 'gpr' }));
    expect(md.whiteLevel).toBe(16383);
  });

  test('GPR -> PPM (16-bit, 8:1) equals the reference preview file', async () => {
    const ppm = await convert(hero6, { to: 'ppm', resolution: 8, bits: 16 });
    expect(ppm.equals(fs.readFileSync(vectorPath('camera', 'GOPR0024.8to1.16bit.ppm')))).toBe(true);
    const synthPpm = await convert(vectorPath('synthetic', 'synth_0640x0480_seed1.fs1.GPR'), {
      to: 'ppm',
      resolution: 4,
      bits: 16,
    });
    expect(sha256(synthPpm)).toBe(synthFs1?.rgb_preview_ppm_16bit['4:1'].sha256);
  });

  test('GPR -> JPG is a baseline JPEG of the 8-bit preview', async () => {
    const jpg = await convert(hero6, { to: 'jpg', resolution: 4 });
    expect(detectFormat(jpg)).toBe('jpeg');
    const decoded = jpeg.decode(jpg, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([1000, 750]);
    const img = GprImage.open(hero6);
    const rgb = img.decodeRgb({ resolution: 4, bits: 8 });
    img.close();
    let diff = 0;
    for (let i = 0, j = 0; i < rgb.data.length; i += 3, j += 4) {
      for (let k = 0; k < 3; k++) diff += Math.abs(rgb.data[i + k] - decoded.data[j + k]);
    }
    expect(diff / rgb.data.length).toBeLessThan(3);
  });

  test('DNG -> PPM goes through an in-memory GPR', async () => {
    const ppm = await convert(hero6Dng, { to: 'ppm', resolution: 16 });
    expect(ppm.subarray(0, 15).toString('latin1')).toBe('P6\n250 188\n255\n');
    expect(ppm.length).toBe(15 + 250 * 188 * 3);
  });
});
