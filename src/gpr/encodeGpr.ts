// encodeGpr / encodeGprAsync: Bayer samples -> a GPR file (VC-5 payload byte-identical to GoPro's reference encoder).
import { checkKnownKeys } from './checkKeys';
import { GprError } from './GprError';
import { gprLimits } from './limits';
import { gprAddon } from './gprAddon';
import { toGprError } from './toGprError';

export type EncodeQuality = 'fs1' | 'fast';

export interface EncodeGprOptions {
  /** Bayer samples, row-major, `width * height` values within `bitDepth`. */
  data: Uint16Array;
  width: number;
  height: number;
  /** Mosaic order of the samples. GoPro cameras up to HERO9 are RGGB. */
  cfaPattern?: 'RGGB' | 'GBRG';
  bitDepth: 12 | 14;
  /** 'fs1' (default): the GPR SDK's normal quality; 'fast': its fast_encoding (MEDIUM quantizers). */
  quality?: EncodeQuality;
  /** Metadata to store (same shape as GprImage#metadata; missing fields get GoPro HERO6 defaults). */
  metadata?: Record<string, unknown>;
  /** Channels encoded in parallel (1..4); the output does not depend on it. */
  threads?: number;
}

type NativeFn = (...args: unknown[]) => unknown;

/** The encode half of the addon. */
export function encoderNative(): Record<string, NativeFn> {
  return gprAddon() as unknown as Record<string, NativeFn>;
}

/** Native errors carry a GPR_E_* `code`; anything else becomes GPR_E_ARGUMENT (src/gpr/toGprError.ts, re-exported). */
export { toGprError };

function fail(message: string): never {
  throw new GprError('GPR_E_ARGUMENT', message);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const BYTE_FIELDS = ['xmp', 'opcodeList2', 'opcodeList3', 'dngPrivateData', 'gpmf'];
const RATIONAL_FIELDS = [
  'exposureTime',
  'fNumber',
  'apertureValue',
  'maxApertureValue',
  'focalLength',
  'focalPlaneXResolution',
  'focalPlaneYResolution',
  'digitalZoomRatio',
  'baselineNoise',
  'baselineSharpness',
  'linearResponseLimit',
  'shadowScale',
  'antiAliasStrength',
  'bestQualityScale',
  'exposureBias',
  'baselineExposure',
];
// Arrays of rationals and the denominator DNG files conventionally use for them.
const RATIONAL_ARRAYS: Record<string, number> = {
  blackLevel: 256,
  colorMatrix1: 10000,
  colorMatrix2: 10000,
  asShotNeutral: 1000000,
  analogBalance: 1000000,
  defaultScale: 1,
  defaultCropOrigin: 1,
  defaultCropSize: 1,
  defaultUserCrop: 1,
};

/** A number as [num, den]: exact with the preferred or a decimal denominator when possible, 1/n for exposure-like values. */
export function rationalFromNumber(x: number, preferred = 1): [number, number] {
  if (Number.isInteger(x)) return [x, 1];
  for (const den of [preferred, 10, 100, 1000, 10000, 100000, 1000000]) {
    const n = Math.round(x * den);
    if (Math.abs(n / den - x) <= 1e-12 * Math.max(1, Math.abs(x))) return [n, den];
  }
  if (x > 0 && x < 1 && Math.abs(1 / x - Math.round(1 / x)) < 1e-6) return [1, Math.round(1 / x)];
  return [Math.round(x * 1000000), 1000000];
}

// JSON cannot hold Buffers: byte blocks may come as base64 strings, number arrays or Buffer#toJSON objects.
function toBytes(v: unknown, name: string): Buffer {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  if (Array.isArray(v)) return Buffer.from(v as number[]);
  const j = v as { type?: unknown; data?: unknown };
  if (j && j.type === 'Buffer' && Array.isArray(j.data)) return Buffer.from(j.data as number[]);
  fail(`metadata.${name} must be bytes (Buffer, base64 string or number array)`);
}

const ENCODE_KEYS: ReadonlySet<string> = new Set([
  'data',
  'width',
  'height',
  'cfaPattern',
  'bitDepth',
  'quality',
  'metadata',
  'threads',
]);

/**
 * Every metadata key the writers take (native/binding MetadataReader), plus the read-only ones GprImage#metadata and
 * a DNG's metadata report (cfaPattern, dngVersion, hasGps) and the two convenience forms (exposureTimeRational,
 * calibrationIlluminants). Anything else is a misspelling and rejected.
 */
export const METADATA_KEYS: ReadonlySet<string> = new Set([
  'make',
  'model',
  'software',
  'dateTime',
  'imageDescription',
  'uniqueCameraModel',
  'localizedCameraModel',
  'cameraSerialNumber',
  'originalRawFileName',
  'profileName',
  'orientation',
  'profileEmbedPolicy',
  'hasExif',
  'exposureTime',
  'exposureTimeRational',
  'fNumber',
  'exposureProgram',
  'iso',
  'dateTimeOriginal',
  'dateTimeDigitized',
  'apertureValue',
  'exposureBias',
  'maxApertureValue',
  'meteringMode',
  'lightSource',
  'flash',
  'focalLength',
  'focalPlaneXResolution',
  'focalPlaneYResolution',
  'sensingMethod',
  'fileSource',
  'sceneType',
  'exposureMode',
  'whiteBalance',
  'digitalZoomRatio',
  'focalLengthIn35mmFilm',
  'sceneCaptureType',
  'gainControl',
  'contrast',
  'saturation',
  'sharpness',
  'otherExifEntries',
  'hasGps',
  'gpsEntries',
  'cfaPattern',
  'blackLevel',
  'blackLevelRepeatDim',
  'whiteLevel',
  'defaultScale',
  'defaultCropOrigin',
  'defaultCropSize',
  'activeArea',
  'defaultUserCrop',
  'bayerGreenSplit',
  'antiAliasStrength',
  'bestQualityScale',
  'dngVersion',
  'colorMatrix1',
  'colorMatrix2',
  'calibrationIlluminants',
  'calibrationIlluminant1',
  'calibrationIlluminant2',
  'asShotNeutral',
  'analogBalance',
  'baselineExposure',
  'baselineNoise',
  'baselineSharpness',
  'linearResponseLimit',
  'shadowScale',
  'noiseProfile',
  'xmp',
  'opcodeList2',
  'opcodeList3',
  'dngPrivateData',
  'gpmf',
]);

/**
 * Normalizes a metadata object (GprImage#metadata, or parsed from JSON) for the native writer: numbers become exact
 * rationals, byte blocks Buffers, `exposureTimeRational` and `calibrationIlluminants` map to the writer's fields.
 */
export function normalizeMetadata(md: Record<string, unknown>): Record<string, unknown> {
  checkKnownKeys(md, METADATA_KEYS, 'metadata');
  const out: Record<string, unknown> = { ...md };
  for (const k of BYTE_FIELDS) if (out[k] !== undefined && out[k] !== null) out[k] = toBytes(out[k], k);
  for (const k of ['gpsEntries', 'otherExifEntries']) {
    const list = out[k];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`metadata.${k} must be an array of {tag, type, count, bytes}`);
    out[k] = list.map((e: Record<string, unknown>) => ({ ...e, bytes: toBytes(e?.bytes, `${k}[].bytes`) }));
  }
  if (Array.isArray(out.exposureTimeRational)) out.exposureTime = out.exposureTimeRational;
  delete out.exposureTimeRational;
  if (Array.isArray(out.calibrationIlluminants)) {
    const [a, b] = out.calibrationIlluminants as unknown[];
    if (out.calibrationIlluminant1 === undefined) out.calibrationIlluminant1 = a;
    if (out.calibrationIlluminant2 === undefined) out.calibrationIlluminant2 = b;
  }
  delete out.calibrationIlluminants;
  for (const k of RATIONAL_FIELDS) {
    if (typeof out[k] === 'number' && Number.isFinite(out[k])) out[k] = rationalFromNumber(out[k] as number);
  }
  for (const [k, den] of Object.entries(RATIONAL_ARRAYS)) {
    const v = out[k];
    if (Array.isArray(v))
      out[k] = v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? rationalFromNumber(x, den) : x));
  }
  // Fields describing the decoded file, not settable on a new one.
  for (const k of ['cfaPattern', 'dngVersion', 'hasGps']) delete out[k];
  return out;
}

/** Checks the image description every encoder/writer entry point shares; returns the native options object. */
export function checkMosaicOptions(
  o: unknown,
  what: string,
): {
  data: Uint16Array;
  width: number;
  height: number;
  bitDepth: 12 | 14;
  cfaPattern: 'RGGB' | 'GBRG';
  quality: EncodeQuality;
  metadata?: Record<string, unknown>;
  threads: number;
} {
  if (typeof o !== 'object' || o === null) fail(`${what}: options must be an object, received ${describe(o)}`);
  checkKnownKeys(o, ENCODE_KEYS, what);
  const opts = o as Partial<EncodeGprOptions>;
  if (!(opts.data instanceof Uint16Array)) fail(`${what}: data must be a Uint16Array, received ${describe(opts.data)}`);
  for (const k of ['width', 'height'] as const) {
    const v = opts[k];
    if (typeof v !== 'number' || !Number.isInteger(v))
      fail(`${what}: ${k} must be an integer, received ${describe(v)}`);
  }
  // The codec's limits (gpr_limits.h, from the addon): read only once the shapes are right, so a malformed call is an
  // argument error with or without the addon.
  const limits = gprLimits();
  for (const k of ['width', 'height'] as const) {
    const v = opts[k] as number;
    if (v < limits.minImageDimension) fail(`${what}: ${k} ${v} is below the minimum of ${limits.minImageDimension}`);
    if (v % 2 !== 0) fail(`${what}: ${k} ${v} must be even (2x2 Bayer cells)`);
  }
  const width = opts.width as number;
  const height = opts.height as number;
  if (width > limits.maxImageWidth || height > limits.maxImageHeight || width * height > limits.maxImagePixels) {
    throw new GprError(
      'GPR_E_LIMIT',
      `${what}: ${width}x${height} exceeds the limits (${limits.maxImageWidth}x${limits.maxImageHeight}, ${limits.maxImagePixels} samples)`,
    );
  }
  if (opts.data.length !== width * height) {
    fail(`${what}: data has ${opts.data.length} samples, expected width*height = ${width * height}`);
  }
  if (opts.bitDepth !== 12 && opts.bitDepth !== 14)
    fail(`${what}: bitDepth must be 12 or 14, received ${describe(opts.bitDepth)}`);
  const cfaPattern = opts.cfaPattern ?? 'RGGB';
  if (cfaPattern !== 'RGGB' && cfaPattern !== 'GBRG')
    fail(`${what}: cfaPattern must be 'RGGB' or 'GBRG', received ${describe(cfaPattern)}`);
  const quality = opts.quality ?? 'fs1';
  if (quality !== 'fs1' && quality !== 'fast')
    fail(`${what}: quality must be 'fs1' or 'fast', received ${describe(quality)}`);
  if (
    opts.metadata !== undefined &&
    (typeof opts.metadata !== 'object' || opts.metadata === null || Array.isArray(opts.metadata))
  ) {
    fail(`${what}: metadata must be an object, received ${describe(opts.metadata)}`);
  }
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > limits.maxDecodeThreads)
    fail(`${what}: threads must be an integer 1..${limits.maxDecodeThreads}, received ${describe(threads)}`);
  const metadata = opts.metadata === undefined ? undefined : normalizeMetadata(opts.metadata);
  return { data: opts.data, width, height, bitDepth: opts.bitDepth, cfaPattern, quality, metadata, threads };
}

/** Encodes Bayer samples as a GPR file (raw image in IFD0, VC-5 tile, DNG metadata). Throws GprError. */
export function encodeGpr(options: EncodeGprOptions): Buffer {
  const o = checkMosaicOptions(options, 'encodeGpr');
  try {
    return encoderNative().gprEncode(o.data, { ...o, container: true }) as Buffer;
  } catch (err) {
    throw toGprError(err);
  }
}

/** Same as encodeGpr, with the encoding done off the main thread. Rejects with GprError. */
export async function encodeGprAsync(options: EncodeGprOptions): Promise<Buffer> {
  const o = checkMosaicOptions(options, 'encodeGprAsync');
  try {
    return (await encoderNative().gprEncodeAsync(o.data, { ...o, container: true })) as Buffer;
  } catch (err) {
    throw toGprError(err);
  }
}

/** The bare VC-5 payload (the GPR's tile), e.g. to compare with a reference encoder. */
export function encodeVc5(options: EncodeGprOptions): Buffer {
  const o = checkMosaicOptions(options, 'encodeVc5');
  try {
    return encoderNative().gprEncode(o.data, { ...o, container: false }) as Buffer;
  } catch (err) {
    throw toGprError(err);
  }
}
