// Third-party readers (exiftool, dcraw, LibRaw's unprocessed_raw) read our GPRs and DNGs: right make, model and size,
// and the DNGs' samples equal decodeRaw's. The tools come from Debian packages (.ci/run installs them).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GprImage, convert, encodeGpr } from '../../src/gpr';
import { describeWithVectors, vectorPath } from '../helpers/vectors';

function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = ['exiftool', 'dcraw', 'unprocessed_raw'];
const missing = tools.filter((t) => !hasTool(t));
if (missing.length > 0 && process.env.CI === 'true')
  throw new Error(`interop tools missing in CI: ${missing.join(', ')}`);
const describeWithTools = missing.length === 0 ? describeWithVectors : describe.skip;
if (missing.length > 0) console.warn(`[leakproof] skipping interop tests: ${missing.join(', ')} not installed`);

/** Samples of a binary 16-bit PGM (big-endian) as host-order uint16. */
function pgmSamples(pgm: Buffer): { width: number; height: number; data: Uint16Array } {
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!m) throw new Error('not a binary PGM');
  const [, w, h, max] = m;
  expect(Number(max)).toBe(65535);
  const body = pgm.subarray(m[0].length);
  const data = new Uint16Array(Number(w) * Number(h));
  for (let i = 0; i < data.length; i++) data[i] = body.readUInt16BE(i * 2);
  return { width: Number(w), height: Number(h), data };
}

describeWithTools('interop with exiftool, dcraw and LibRaw', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-interop-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const exif = (file: string) =>
    (
      JSON.parse(
        execFileSync(
          'exiftool',
          [
            '-j',
            '-n',
            '-Make',
            '-Model',
            '-ImageWidth',
            '-ImageHeight',
            '-Compression',
            '-WhiteLevel',
            '-ExposureTime',
            '-ISO',
            '-Error',
            '-Warning',
            file,
          ],
          { encoding: 'utf8' },
        ),
      ) as Record<string, unknown>[]
    )[0];

  test('exiftool reads make, model, size and compression of a fresh GPR and of its DNG', async () => {
    const raw = fs.readFileSync(vectorPath('synthetic', 'synth_0640x0480_seed1.input.raw'));
    const gprFile = path.join(dir, 'fresh.gpr');
    const dngFile = path.join(dir, 'fresh.dng');
    fs.writeFileSync(
      gprFile,
      encodeGpr({
        data: new Uint16Array(new Uint8Array(raw).buffer),
        width: 640,
        height: 480,
        bitDepth: 12,
        cfaPattern: 'RGGB',
        quality: 'fs1',
        metadata: { make: 'GoPro', model: 'HERO7 Black', exposureTime: [1, 240], iso: 400 },
      }),
    );
    await convert(gprFile, { to: 'dng', output: dngFile });
    for (const [file, compression, white] of [
      [gprFile, 9, 4095],
      [dngFile, 1, 16383],
    ] as const) {
      const t = exif(file);
      expect(t.Error).toBeUndefined();
      expect(t).toMatchObject({
        Make: 'GoPro',
        Model: 'HERO7 Black',
        ImageWidth: 640,
        ImageHeight: 480,
        Compression: compression,
        WhiteLevel: white,
        ISO: 400,
      });
      expect(t.ExposureTime).toBeCloseTo(1 / 240, 9);
    }
  });

  test('exiftool sees every EXIF/DNG tag of the camera file in our DNG and re-encoded GPR (GPS included)', async () => {
    const dngFile = path.join(dir, 'hero6.dng');
    const gprFile = path.join(dir, 'hero6.gpr');
    await convert(vectorPath('camera', 'GOPR0024.GPR'), { to: 'dng', output: dngFile });
    await convert(dngFile, { to: 'gpr', output: gprFile });
    // Everything but where and how the raw image is stored, and the digest we deliberately omit (it would be stale).
    const storage =
      /^(Compression|StripOffsets|RowsPerStrip|StripByteCounts|TileWidth|TileLength|TileOffsets|TileByteCounts|NewRawImageDigest)\s/;
    const dump = (file: string) =>
      execFileSync('exiftool', ['-exif:all', '-n', '-s', file], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.trim() !== '' && !storage.test(l));
    const original = dump(vectorPath('camera', 'GOPR0024.GPR'));
    expect(original.some((l) => l.startsWith('GPSLatitudeRef '))).toBe(true);
    expect(original.length).toBeGreaterThan(60);
    expect(dump(dngFile)).toEqual(original);
    expect(dump(gprFile)).toEqual(original);
  });

  test.each([
    ['synthetic 640x480 fs1', ['synthetic', 'synth_0640x0480_seed1.fs1.GPR']],
    ['HERO6 camera file', ['camera', 'GOPR0024.GPR']],
  ])("dcraw and LibRaw decode our DNG of the %s to decodeRaw's samples", async (name, parts) => {
    const src = vectorPath(...parts);
    const dngFile = path.join(dir, `${name.replace(/\W+/g, '_')}.dng`);
    await convert(src, { to: 'dng', output: dngFile });
    const img = GprImage.open(src);
    const expected = img.decodeRaw().data;
    img.close();
    const viaDcraw = pgmSamples(execFileSync('dcraw', ['-D', '-4', '-t', '0', '-c', dngFile], { maxBuffer: 1 << 27 }));
    expect([viaDcraw.width * viaDcraw.height]).toEqual([expected.length]);
    expect(
      Buffer.from(viaDcraw.data.buffer).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)),
    ).toBe(true);
    execFileSync('unprocessed_raw', ['-q', dngFile], { stdio: 'ignore' });
    const viaLibRaw = pgmSamples(fs.readFileSync(`${dngFile}.pgm`));
    expect(viaLibRaw.data.length).toBe(expected.length);
    expect(
      Buffer.from(viaLibRaw.data.buffer).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)),
    ).toBe(true);
  });
});
