// Lossless metadata: for every camera file, metadata -> encodeGpr -> GprImage.open().metadata is the identity (as
// an object and through JSON, the `gpr info --json` -> `--metadata` route), and unknown option or metadata keys throw.
import { GprError, GprImage, convert, encodeGpr, type GprMetadata } from '../../src/gpr';
import { describeWithVectors, vectorPath } from '../helpers/vectors';

const CAMERA_FILES = ['GOPR0024.GPR', 'GOPR9231.GPR', 'GPBK7066.GPR', 'GPFR7066.GPR'];

// What `gpr info --json` prints for the metadata and `--metadata FILE` reads back: byte blocks as base64.
function viaJson(md: GprMetadata): Record<string, unknown> {
  const text = JSON.stringify(md, (_k, v: unknown) => {
    const b = v as { type?: unknown; data?: unknown };
    return b && typeof b === 'object' && b.type === 'Buffer' && Array.isArray(b.data)
      ? Buffer.from(b.data as number[]).toString('base64')
      : v;
  });
  return JSON.parse(text) as Record<string, unknown>;
}

describeWithVectors('metadata round trip on the camera files', () => {
  test.each(CAMERA_FILES)('%s: metadata -> encodeGpr -> open().metadata is the identity, also through JSON', (name) => {
    const img = GprImage.open(vectorPath('camera', name));
    const md = img.metadata;
    const raw = img.decodeRaw();
    // The addon's arrays come from Node's realm, not Jest's sandbox: instanceof needs one made here.
    const samples = new Uint16Array(raw.data);
    const { bitDepth, cfaPattern } = img.info;
    img.close();
    // The fields the issue found lost, present in the model (GPS on the files that have it).
    for (const k of [
      'exposureProgram',
      'meteringMode',
      'sharpness',
      'sceneCaptureType',
      'maxApertureValue',
      'localizedCameraModel',
      'profileName',
      'gpsEntries',
      'defaultCropSize',
    ]) {
      expect(md).toHaveProperty(k);
    }
    expect(md.gpsEntries.length > 0).toBe(md.hasGps);
    for (const source of [md, viaJson(md)]) {
      const gpr = encodeGpr({
        data: samples,
        width: raw.width,
        height: raw.height,
        bitDepth: bitDepth as 12 | 14,
        cfaPattern,
        metadata: source as Record<string, unknown>,
      });
      const back = GprImage.open(gpr);
      try {
        expect(back.metadata).toEqual(md);
      } finally {
        back.close();
      }
    }
  });

  test('the camera files carry the fields the old model dropped (non-zero somewhere)', () => {
    const all = CAMERA_FILES.map((n) => {
      const img = GprImage.open(vectorPath('camera', n));
      const md = img.metadata;
      img.close();
      return md;
    });
    expect(all.some((m) => m.hasGps && m.gpsEntries.length > 0)).toBe(true);
    expect(all.some((m) => m.exposureProgram !== 0)).toBe(true);
    expect(all.some((m) => m.meteringMode !== 0)).toBe(true);
    expect(all.some((m) => m.maxApertureValue !== 0)).toBe(true);
    expect(all.some((m) => m.activeArea !== undefined)).toBe(true);
  });

  test('RAW -> GPR through convert with the metadata as an object keeps it', async () => {
    const img = GprImage.open(vectorPath('camera', 'GOPR0024.GPR'));
    const md = img.metadata;
    const raw = img.decodeRaw();
    img.close();
    const input = Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
    const gpr = await convert(input, {
      to: 'gpr',
      raw: { width: raw.width, height: raw.height, bitDepth: 14 },
      metadata: viaJson(md),
    });
    const back = GprImage.open(gpr);
    expect(back.metadata).toEqual(md);
    back.close();
  });
});

describe('unknown keys are rejected with GprError GPR_E_ARGUMENT', () => {
  const data = new Uint16Array(64 * 64);
  const expectArgument = (fn: () => unknown, key: string): void => {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GprError);
    expect((caught as GprError).code).toBe('GPR_E_ARGUMENT');
    expect((caught as GprError).message).toContain(JSON.stringify(key));
  };

  test('GprImage decode options', () => {
    const img = GprImage.open(encodeGpr({ data, width: 64, height: 64, bitDepth: 12 }));
    try {
      expectArgument(() => img.decodeRaw({ threds: 4 } as never), 'threds');
      expectArgument(() => img.decodeRgb({ resolution: 4, bit: 16 } as never), 'bit');
      expect(img.decodeRaw({ threads: 2 }).data).toHaveLength(64 * 64);
    } finally {
      img.close();
    }
  });

  test('encodeGpr options and metadata keys', () => {
    expectArgument(() => encodeGpr({ data, width: 64, height: 64, bitDepth: 12, thread: 2 } as never), 'thread');
    expectArgument(() => encodeGpr({ data, width: 64, height: 64, bitDepth: 12, metadata: { modle: 'x' } }), 'modle');
  });

  test('convert options and its raw description', async () => {
    const input = Buffer.from(data.buffer);
    await expect(
      convert(input, { to: 'gpr', raw: { width: 64, height: 64, bitDepth: 12 }, qualty: 'fast' } as never),
    ).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT' });
    await expect(
      convert(input, { to: 'gpr', raw: { width: 64, height: 64, bitDepth: 12, cfa: 'RGGB' } as never }),
    ).rejects.toMatchObject({ code: 'GPR_E_ARGUMENT' });
    await expect(
      convert(input, { to: 'gpr', raw: { width: 64, height: 64, bitDepth: 12 }, durable: true }),
    ).resolves.toBeInstanceOf(Buffer);
  });
});
