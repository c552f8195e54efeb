// GprImage: an opened GPR file backed by the native decoder (open, info, metadata, RAW and RGB decodes, close).
import * as fs from 'node:fs';
import { gprAddon } from './gprAddon';
import { checkKnownKeys } from './checkKeys';
import { toGprError } from './toGprError';
import { GprError } from './GprError';
import { gprLimits } from './limits';

export type CfaPattern = 'RGGB' | 'GBRG';

/** VC-5 stream facts of the raw image. */
export interface GprVc5Info {
  channels: number;
  levels: number;
  channelWidth: number;
  channelHeight: number;
  /** Packed per-level prescale (0x2800 in every GPR: levels 0, 1, 2 = 0, 2, 2). */
  prescaleShift: number;
  /** Channel 0's quantizer per subband 0..9 as read from the stream. */
  quantization: number[];
  /** Position and size of the VC-5 payload (the raw tile) in the file. */
  payloadOffset: number;
  payloadBytes: number;
}

export interface GprInfo {
  width: number;
  height: number;
  cfaPattern: CfaPattern;
  /** Bits of the samples decodeRaw returns: 14 for RGGB files, 12 otherwise (as the reference decoder). */
  bitDepth: number;
  blackLevel: number;
  whiteLevel: number;
  /** Where the raw image sits: IFD0 (camera files) or SubIFD[0] after a JPEG preview (reference-encoder files). */
  layout: 'ifd0' | 'subifd';
  vc5: GprVc5Info;
}

/** DNG/EXIF metadata. Rationals are given as numbers; absent optional tags are left out. */
export interface GprMetadata {
  make: string;
  model: string;
  software: string;
  cameraSerialNumber: string;
  uniqueCameraModel: string;
  imageDescription: string;
  dateTime: string;
  dateTimeOriginal: string;
  dateTimeDigitized: string;
  /** TIFF orientation code (GoPro files: 2 = mirrored horizontally). */
  orientation: number;
  /** Seconds. */
  exposureTime: number;
  exposureTimeRational: [number, number];
  fNumber: number;
  iso: number;
  /** Millimetres. */
  focalLength: number;
  focalLengthIn35mmFilm: number;
  exposureBias: number;
  apertureValue: number;
  digitalZoomRatio: number;
  whiteBalance: number;
  cfaPattern: CfaPattern;
  blackLevel: number[];
  whiteLevel: number;
  colorMatrix1?: number[];
  colorMatrix2?: number[];
  calibrationIlluminants: [number, number];
  /** 1 / white-balance gain per R, G, B. */
  asShotNeutral?: number[];
  analogBalance?: number[];
  baselineExposure: number;
  /** [scale, offset]. */
  noiseProfile?: [number, number];
  dngVersion: string;
  /** GoPro GPMF payload from DNGPrivateData without its "GoPro\n" prefix (empty when absent). */
  gpmf: Buffer;
  xmp: Buffer;
  opcodeList2: Buffer;
  opcodeList3: Buffer;
  hasGps: boolean;

  // --- Every further field the writers take: with them, metadata -> encodeGpr -> open().metadata is the identity. ---
  /** IFD0 ASCII tags 50709, 50827, 50936 (empty when absent). */
  localizedCameraModel: string;
  originalRawFileName: string;
  profileName: string;
  profileEmbedPolicy: number;
  /** True when the file has an EXIF IFD; the EXIF fields below are 0 / empty without one. */
  hasExif: boolean;
  /** EXIF codes as stored (0 when absent): ExposureProgram, MeteringMode, LightSource, Flash, ... */
  exposureProgram: number;
  /** APEX units. */
  maxApertureValue: number;
  meteringMode: number;
  lightSource: number;
  flash: number;
  focalPlaneXResolution: number;
  focalPlaneYResolution: number;
  sensingMethod: number;
  fileSource: number;
  sceneType: number;
  exposureMode: number;
  sceneCaptureType: number;
  gainControl: number;
  contrast: number;
  saturation: number;
  sharpness: number;
  /** EXIF tags without a field of their own, verbatim (little-endian value bytes). */
  otherExifEntries: GprTiffEntry[];
  /** The GPS IFD's entries verbatim (GPSVersionID, GPSLatitudeRef, GPSLatitude, ...); empty when hasGps is false. */
  gpsEntries: GprTiffEntry[];
  blackLevelRepeatDim: [number, number];
  defaultScale: [number, number];
  defaultCropOrigin: [number, number];
  defaultCropSize: [number, number];
  /** [top, left, bottom, right], when the file has ActiveArea. */
  activeArea?: [number, number, number, number];
  /** [top, left, bottom, right] as fractions, when the file has DefaultUserCrop. */
  defaultUserCrop?: [number, number, number, number];
  bayerGreenSplit: number;
  antiAliasStrength: number;
  bestQualityScale: number;
  baselineNoise: number;
  baselineSharpness: number;
  linearResponseLimit: number;
  shadowScale: number;
  /** DNGPrivateData (50740) whole. When gpmf is non-empty, writers store "GoPro\n" + gpmf instead. */
  dngPrivateData: Buffer;
}

/** One TIFF entry kept verbatim: TIFF type code (1..12), value count and the value bytes in little-endian order. */
export interface GprTiffEntry {
  tag: number;
  type: number;
  count: number;
  bytes: Buffer;
}

export interface GprRawImage {
  /** width x height Bayer samples, row-major, in the file's CFA order, no orientation applied. */
  data: Uint16Array;
  width: number;
  height: number;
}

export interface GprRgbImage<T extends Uint8Array | Uint16Array = Uint8Array | Uint16Array> {
  /** width x height x 3 interleaved RGB, horizontally mirrored like the reference's previews. */
  data: T;
  width: number;
  height: number;
  channels: 3;
  bits: 8 | 16;
}

export interface DecodeRawOptions {
  /** Only 1 (full resolution) for RAW output. */
  resolution?: 1;
  /** Worker threads for one decode, 1..64 (default 1; the four VC-5 channels bound the useful number). */
  threads?: number;
}

export interface DecodeRgbOptions {
  /** Reduction per Bayer channel: 2 (half of the channel size = 1/4 of the image width) ... 16. */
  resolution: 2 | 4 | 8 | 16;
  /** 16: linear, no white balance (the reference's `-b 16` PPM pixels); 8 (default): white balance and sqrt gamma. */
  bits?: 8 | 16;
  threads?: number;
}

type Handle = object;

interface GprNative {
  gprOpen(bytes: Uint8Array): Handle;
  gprOpenAsync(bytes: Uint8Array): Promise<Handle>;
  gprClose(h: Handle): void;
  gprInfo(h: Handle): GprInfo;
  gprMetadata(h: Handle): GprMetadata;
  gprDecodeRaw(h: Handle, resolution: number, threads: number): GprRawImage;
  gprDecodeRawAsync(h: Handle, resolution: number, threads: number): Promise<GprRawImage>;
  gprDecodeRgb(h: Handle, resolution: number, bits: number, threads: number): GprRgbImage;
  gprDecodeRgbAsync(h: Handle, resolution: number, bits: number, threads: number): Promise<GprRgbImage>;
}

function native(): GprNative {
  return gprAddon() as unknown as GprNative;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return typeof value;
}

function argError(message: string): GprError {
  return new GprError('GPR_E_ARGUMENT', message);
}

const RAW_KEYS: ReadonlySet<string> = new Set(['resolution', 'threads']);
const RGB_KEYS: ReadonlySet<string> = new Set(['resolution', 'bits', 'threads']);

function checkOptions(options: unknown, method: string, known: ReadonlySet<string>): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw argError(`${method}: options must be an object, received ${show(options)}`);
  }
  checkKnownKeys(options, known, method);
  return options as Record<string, unknown>;
}

function checkThreads(value: unknown, method: string): number {
  if (value === undefined) return 1;
  const max = gprLimits().maxDecodeThreads;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw argError(`${method}: threads must be an integer from 1 to ${max}, received ${show(value)}`);
  }
  return value;
}

function checkRawOptions(options: unknown, method: string): { resolution: number; threads: number } {
  const o = checkOptions(options, method, RAW_KEYS);
  const resolution = o.resolution === undefined ? 1 : o.resolution;
  if (resolution !== 1) {
    throw argError(
      `${method}: resolution must be 1 for RAW output (use decodeRgb for 2, 4, 8, 16), received ${show(o.resolution)}`,
    );
  }
  return { resolution, threads: checkThreads(o.threads, method) };
}

function checkRgbOptions(options: unknown, method: string): { resolution: number; bits: number; threads: number } {
  if (options === undefined)
    throw argError(`${method}: options { resolution: 2 | 4 | 8 | 16, bits?: 8 | 16 } are required`);
  const o = checkOptions(options, method, RGB_KEYS);
  if (o.resolution !== 2 && o.resolution !== 4 && o.resolution !== 8 && o.resolution !== 16) {
    throw argError(`${method}: resolution must be 2, 4, 8 or 16, received ${show(o.resolution)}`);
  }
  const bits = o.bits === undefined ? 8 : o.bits;
  if (bits !== 8 && bits !== 16) throw argError(`${method}: bits must be 8 or 16, received ${show(o.bits)}`);
  return { resolution: o.resolution, bits, threads: checkThreads(o.threads, method) };
}

function checkSource(source: unknown, method: string): string | Uint8Array {
  if (typeof source === 'string') {
    if (source.length === 0) throw argError(`${method}: path must not be empty`);
    return source;
  }
  if (source instanceof Uint8Array) return source;
  throw argError(`${method}: expected a file path or a Buffer/Uint8Array, received ${show(source)}`);
}

function ioError(path: string, err: unknown): GprError {
  return new GprError('GPR_E_IO', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
}

/** The largest file open() reads is the native container's input limit (gpr_limits.h). */
function checkSize(path: string, size: number): void {
  const max = gprLimits().maxInputBytes;
  if (size > max) throw new GprError('GPR_E_LIMIT', `${path} is ${size} bytes, more than the ${max}-byte input limit`);
}

function readSync(path: string): Uint8Array {
  try {
    checkSize(path, fs.statSync(path).size);
    return fs.readFileSync(path);
  } catch (err) {
    if (err instanceof GprError) throw err;
    throw ioError(path, err);
  }
}

async function readAsync(path: string): Promise<Uint8Array> {
  try {
    checkSize(path, (await fs.promises.stat(path)).size);
    return await fs.promises.readFile(path);
  } catch (err) {
    if (err instanceof GprError) throw err;
    throw ioError(path, err);
  }
}

export class GprImage {
  #handle: Handle | undefined;
  #info: GprInfo | undefined;
  #metadata: GprMetadata | undefined;

  private constructor(handle: Handle) {
    this.#handle = handle;
  }

  /** Opens a GPR from a path or bytes (the bytes are copied; later changes to the buffer do not matter). */
  static open(pathOrBuffer: string | Uint8Array): GprImage {
    const src = checkSource(pathOrBuffer, 'GprImage.open');
    const bytes = typeof src === 'string' ? readSync(src) : src;
    try {
      return new GprImage(native().gprOpen(bytes));
    } catch (err) {
      throw toGprError(err);
    }
  }

  /** Like open(), with the file read and the container parsed off the main thread. */
  static async openAsync(pathOrBuffer: string | Uint8Array): Promise<GprImage> {
    const src = checkSource(pathOrBuffer, 'GprImage.openAsync');
    const bytes = typeof src === 'string' ? await readAsync(src) : src;
    try {
      return new GprImage(await native().gprOpenAsync(bytes));
    } catch (err) {
      throw toGprError(err);
    }
  }

  #open(method: string): Handle {
    if (!this.#handle) throw new GprError('GPR_E_CLOSED', `GprImage.${method}: the image is closed`);
    return this.#handle;
  }

  get info(): GprInfo {
    const h = this.#open('info');
    if (!this.#info) this.#info = wrap(() => native().gprInfo(h));
    return this.#info;
  }

  get metadata(): GprMetadata {
    const h = this.#open('metadata');
    if (!this.#metadata) this.#metadata = wrap(() => native().gprMetadata(h));
    return this.#metadata;
  }

  get width(): number {
    this.#open('width');
    return this.info.width;
  }

  get height(): number {
    this.#open('height');
    return this.info.height;
  }

  get cfaPattern(): CfaPattern {
    this.#open('cfaPattern');
    return this.info.cfaPattern;
  }

  /** True once close() was called. */
  get closed(): boolean {
    return this.#handle === undefined;
  }

  /** Full-resolution Bayer samples, identical to GoPro's reference decoder output. */
  decodeRaw(options?: DecodeRawOptions): GprRawImage {
    const h = this.#open('decodeRaw');
    const o = checkRawOptions(options, 'GprImage.decodeRaw');
    return wrap(() => native().gprDecodeRaw(h, o.resolution, o.threads));
  }

  /** decodeRaw() on a libuv worker thread; the event loop stays free. */
  async decodeRawAsync(options?: DecodeRawOptions): Promise<GprRawImage> {
    const h = this.#open('decodeRawAsync');
    const o = checkRawOptions(options, 'GprImage.decodeRawAsync');
    try {
      return await native().gprDecodeRawAsync(h, o.resolution, o.threads);
    } catch (err) {
      throw toGprError(err);
    }
  }

  /** Reduced-resolution RGB preview, identical to the reference's PPM pixels (16-bit) or its 8-bit conversion. */
  decodeRgb(options: DecodeRgbOptions & { bits: 16 }): GprRgbImage<Uint16Array>;
  decodeRgb(options: DecodeRgbOptions): GprRgbImage<Uint8Array>;
  decodeRgb(options: DecodeRgbOptions): GprRgbImage {
    const h = this.#open('decodeRgb');
    const o = checkRgbOptions(options, 'GprImage.decodeRgb');
    return wrap(() => native().gprDecodeRgb(h, o.resolution, o.bits, o.threads));
  }

  decodeRgbAsync(options: DecodeRgbOptions & { bits: 16 }): Promise<GprRgbImage<Uint16Array>>;
  decodeRgbAsync(options: DecodeRgbOptions): Promise<GprRgbImage<Uint8Array>>;
  async decodeRgbAsync(options: DecodeRgbOptions): Promise<GprRgbImage> {
    const h = this.#open('decodeRgbAsync');
    const o = checkRgbOptions(options, 'GprImage.decodeRgbAsync');
    try {
      return await native().gprDecodeRgbAsync(h, o.resolution, o.bits, o.threads);
    } catch (err) {
      throw toGprError(err);
    }
  }

  /** Frees the native decoder now (it is also freed when the object is garbage-collected). Idempotent. */
  close(): void {
    const h = this.#handle;
    if (!h) return;
    this.#handle = undefined;
    native().gprClose(h);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toGprError(err);
  }
}
