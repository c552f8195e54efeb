// convert: GPR, DNG or headerless RAW in; GPR, uncompressed DNG, RAW, PPM or JPEG out; files written safely.
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { checkKnownKeys } from './checkKeys';
import { GprError } from './GprError';
import { gprLimits } from './limits';
import { detectFormat } from './detectFormat';
import {
  checkMosaicOptions,
  encodeGpr,
  encodeGprAsync,
  encoderNative,
  normalizeMetadata,
  toGprError,
  type EncodeQuality,
} from './encodeGpr';

export type ConvertTarget = 'gpr' | 'dng' | 'raw' | 'ppm' | 'jpg';

export interface RawInputDescription {
  width: number;
  height: number;
  cfaPattern?: 'RGGB' | 'GBRG';
  bitDepth: 12 | 14;
}

export interface ConvertOptions {
  to: ConvertTarget;
  /** Where to write the result. Without it, convert resolves to the bytes. */
  output?: string;
  /** GPR output: 'fs1' (default) or 'fast'. */
  quality?: EncodeQuality;
  /** PPM/JPEG previews: 2, 4, 8 or 16 (default 2) = 1/N of the Bayer channel size. GPR/DNG/RAW: 1 only. */
  resolution?: number;
  /** PPM: 8 (default, white-balanced, gamma 2) or 16 (linear). DNG/RAW are always 16-bit containers. */
  bits?: number;
  /** Required for headerless RAW input (uint16 little-endian samples, row-major). */
  raw?: RawInputDescription;
  /** RAW input only: metadata object (GprImage#metadata shape) or the path of a JSON file holding one. */
  metadata?: Record<string, unknown> | string;
  /** Replace an existing output file (never the input itself). Default false. */
  overwrite?: boolean;
  /** Threads for encoding/decoding (1..64, default 1). */
  threads?: number;
  /** JPEG quality 1..100 (default 90). */
  jpegQuality?: number;
  /**
   * Default false: the output is written to a temporary file and renamed into place (never half-written, never
   * visible under its name before it is complete), without fsync, like cp or gpr_tools. true: the file is fsynced
   * before the rename and its folder after it, so the output also survives a power loss once convert resolves.
   */
  durable?: boolean;
}

// node:fs/promises loads on first use (fs.promises is a lazy getter): the CLI's synchronous path never needs it.
const fsp = (): typeof fs.promises => fs.promises;

const TARGETS: readonly ConvertTarget[] = ['gpr', 'dng', 'raw', 'ppm', 'jpg'];
const PREVIEW_RESOLUTIONS = [2, 4, 8, 16];

function argError(message: string): never {
  throw new GprError('GPR_E_ARGUMENT', message);
}

interface Checked {
  to: ConvertTarget;
  output?: string;
  quality: EncodeQuality;
  resolution: number;
  bits: number;
  raw?: RawInputDescription;
  metadata?: Record<string, unknown> | string;
  overwrite: boolean;
  threads: number;
  jpegQuality: number;
  durable: boolean;
}

const CONVERT_KEYS: ReadonlySet<string> = new Set([
  'to',
  'output',
  'quality',
  'resolution',
  'bits',
  'raw',
  'metadata',
  'overwrite',
  'threads',
  'jpegQuality',
  'durable',
]);
const RAW_KEYS: ReadonlySet<string> = new Set(['width', 'height', 'cfaPattern', 'bitDepth']);

function checkOptions(options: unknown): Checked {
  if (typeof options !== 'object' || options === null) argError('convert: options must be an object with a `to` field');
  checkKnownKeys(options, CONVERT_KEYS, 'convert');
  const o = options as Partial<ConvertOptions>;
  if (!TARGETS.includes(o.to as ConvertTarget))
    argError(`convert: to must be one of ${TARGETS.join(', ')}, received ${String(o.to)}`);
  const to = o.to as ConvertTarget;
  if (o.output !== undefined && (typeof o.output !== 'string' || o.output === ''))
    argError('convert: output must be a non-empty path');
  const quality = o.quality ?? 'fs1';
  if (quality !== 'fs1' && quality !== 'fast')
    argError(`convert: quality must be 'fs1' or 'fast', received ${String(quality)}`);
  const preview = to === 'ppm' || to === 'jpg';
  const resolution = o.resolution ?? (preview ? 2 : 1);
  if (preview && !PREVIEW_RESOLUTIONS.includes(resolution)) {
    argError(`convert: resolution for ${to} must be 2, 4, 8 or 16, received ${String(resolution)}`);
  }
  if (!preview && resolution !== 1)
    argError(`convert: ${to} output is full resolution only (resolution 1), received ${String(resolution)}`);
  const bits = o.bits ?? (to === 'ppm' || to === 'jpg' ? 8 : 16);
  if (to === 'ppm' && bits !== 8 && bits !== 16)
    argError(`convert: bits for ppm must be 8 or 16, received ${String(bits)}`);
  if (to === 'jpg' && bits !== 8) argError(`convert: JPEG output is 8-bit, received bits ${String(bits)}`);
  if ((to === 'dng' || to === 'raw' || to === 'gpr') && bits !== 16)
    argError(`convert: ${to} output holds 16-bit samples, received bits ${String(bits)}`);
  const threads = o.threads ?? 1;
  const maxThreads = gprLimits().maxDecodeThreads;
  if (!Number.isInteger(threads) || threads < 1 || threads > maxThreads)
    argError(`convert: threads must be an integer 1..${maxThreads}, received ${String(threads)}`);
  const jpegQuality = o.jpegQuality ?? 90;
  if (!Number.isInteger(jpegQuality) || jpegQuality < 1 || jpegQuality > 100)
    argError('convert: jpegQuality must be an integer 1..100');
  if (o.overwrite !== undefined && typeof o.overwrite !== 'boolean') argError('convert: overwrite must be a boolean');
  if (o.durable !== undefined && typeof o.durable !== 'boolean') argError('convert: durable must be a boolean');
  if (o.raw !== undefined && (typeof o.raw !== 'object' || o.raw === null))
    argError('convert: raw must be {width, height, cfaPattern, bitDepth}');
  if (o.raw !== undefined) checkKnownKeys(o.raw, RAW_KEYS, 'convert: raw');
  if (
    o.metadata !== undefined &&
    typeof o.metadata !== 'string' &&
    (typeof o.metadata !== 'object' || o.metadata === null)
  ) {
    argError('convert: metadata must be an object or the path of a JSON file');
  }
  if (o.metadata !== undefined && o.raw === undefined)
    argError('convert: metadata applies to RAW input only (GPR and DNG inputs carry their own)');
  return {
    to,
    output: o.output,
    quality,
    resolution,
    bits,
    raw: o.raw,
    metadata: o.metadata,
    overwrite: o.overwrite ?? false,
    threads,
    jpegQuality,
    durable: o.durable ?? false,
  };
}

function parseMetadataText(text: string, m: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new GprError('GPR_E_ARGUMENT', `metadata file ${m} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    argError(`metadata file ${m} must hold a JSON object`);
  return normalizeMetadata(parsed as Record<string, unknown>);
}

function metadataReadError(m: string, err: unknown): GprError {
  return new GprError('GPR_E_IO', `cannot read metadata file ${m}: ${(err as Error).message}`, { cause: err });
}

async function loadMetadata(
  m: Record<string, unknown> | string | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (m === undefined) return undefined;
  if (typeof m !== 'string') return normalizeMetadata(m);
  let text: string;
  try {
    text = await fsp().readFile(m, 'utf8');
  } catch (err) {
    throw metadataReadError(m, err);
  }
  return parseMetadataText(text, m);
}

function loadMetadataSync(m: Record<string, unknown> | string | undefined): Record<string, unknown> | undefined {
  if (m === undefined) return undefined;
  if (typeof m !== 'string') return normalizeMetadata(m);
  let text: string;
  try {
    text = fs.readFileSync(m, 'utf8');
  } catch (err) {
    throw metadataReadError(m, err);
  }
  return parseMetadataText(text, m);
}

function nativeConvertOptions(from: 'gpr' | 'dng', c: Checked): Record<string, unknown> {
  return {
    from,
    to: c.to,
    quality: c.quality,
    threads: c.threads,
    resolution: c.resolution,
    bits: c.bits,
    jpegQuality: c.jpegQuality,
  };
}

/**
 * Every target, JPEG included (native/gpr/jpeg_writer.cc), is produced natively and handed over without a copy.
 * `owned`: the bytes are convert's own (read from a file, or made here), so the native side may use them in place
 * instead of copying them first (a caller's Buffer is copied: it could change while the work runs).
 */
async function nativeConvert(input: Buffer, from: 'gpr' | 'dng', c: Checked, owned: boolean): Promise<Buffer> {
  try {
    return (await encoderNative().gprConvertAsync(input, {
      ...nativeConvertOptions(from, c),
      borrowInput: owned,
    })) as Buffer;
  } catch (err) {
    throw toGprError(err);
  }
}

/** The synchronous native call works on the bytes in place (nothing else can run meanwhile). */
function nativeConvertSync(input: Buffer, from: 'gpr' | 'dng', c: Checked): Buffer {
  try {
    return encoderNative().gprConvert(input, nativeConvertOptions(from, c)) as Buffer;
  } catch (err) {
    throw toGprError(err);
  }
}

type Mosaic = ReturnType<typeof checkMosaicOptions>;

/**
 * RAW input (size already checked): a view of the samples, the mosaic options; RAW and DNG targets are made here (synchronous,
 * no encoding); for GPR, PPM and JPEG targets `done` is undefined and the caller encodes `mosaic`.
 */
function checkRawSize(input: Buffer, c: Checked): void {
  const r = c.raw as RawInputDescription;
  const expected = Number(r.width) * Number(r.height) * 2;
  if (input.length !== expected) {
    argError(
      `convert: RAW input has ${input.length} bytes, expected ${expected} for ${String(r.width)}x${String(r.height)} 16-bit samples`,
    );
  }
}

function prepareRaw(
  input: Buffer,
  c: Checked,
  metadata: Record<string, unknown> | undefined,
): { mosaic: Mosaic; done?: Buffer } {
  const r = c.raw as RawInputDescription;
  // Samples are little-endian like the host. A file read whole is its own ArrayBuffer at offset 0: viewed, not copied;
  // an unaligned caller's Buffer is copied.
  const data =
    input.byteOffset % 2 === 0
      ? new Uint16Array(input.buffer, input.byteOffset, input.length / 2)
      : new Uint16Array(new Uint8Array(input).buffer);
  const mosaic = checkMosaicOptions(
    {
      data,
      width: r.width,
      height: r.height,
      bitDepth: r.bitDepth,
      cfaPattern: r.cfaPattern,
      quality: c.quality,
      metadata,
      threads: c.threads,
    },
    'convert',
  );
  if (c.to === 'raw' || c.to === 'dng') {
    // The encoder checks the range itself (and names x, y); the DNG writer and a RAW copy do not.
    const max = mosaic.bitDepth === 14 ? 16383 : 4095;
    for (let i = 0; i < data.length; i++) {
      if (data[i] > max)
        argError(`convert: RAW sample ${data[i]} at index ${i} exceeds the ${mosaic.bitDepth}-bit range 0..${max}`);
    }
  }
  if (c.to === 'raw') return { mosaic, done: Buffer.from(input) };
  if (c.to === 'dng') {
    try {
      return { mosaic, done: encoderNative().gprWriteDng(data, mosaic) as Buffer };
    } catch (err) {
      throw toGprError(err);
    }
  }
  return { mosaic };
}

async function convertRaw(input: Buffer, c: Checked): Promise<Buffer> {
  checkRawSize(input, c);
  const { mosaic, done } = prepareRaw(input, c, await loadMetadata(c.metadata));
  if (done) return done;
  const gpr = await encodeGprAsync(mosaic);
  if (c.to === 'gpr') return gpr;
  return nativeConvert(gpr, 'gpr', c, true);
}

function convertRawSync(input: Buffer, c: Checked): Buffer {
  checkRawSize(input, c);
  const { mosaic, done } = prepareRaw(input, c, loadMetadataSync(c.metadata));
  if (done) return done;
  const gpr = encodeGpr(mosaic);
  if (c.to === 'gpr') return gpr;
  return nativeConvertSync(gpr, 'gpr', c);
}

/**
 * A file's bytes in one read where possible: fs.promises.readFile reads in 512 KiB chunks, a thread-pool round trip
 * each (~6 ms for a 24 MB RAW here). The buffer is the file's own ArrayBuffer at offset 0, so RAW samples can be
 * viewed without a copy.
 */
async function readWhole(file: string): Promise<Buffer> {
  const fh = await fsp().open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await fh.read(buf, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? buf : buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

/** The same in the calling thread (fstat, then one read of the whole size in the common case). */
function readWholeSync(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    const buf = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const n = fs.readSync(fd, buf, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? buf : buf.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

function readError(input: string, err: unknown): GprError {
  return new GprError('GPR_E_IO', `cannot read ${input}: ${(err as Error).message}`, { cause: err });
}

function bufferInput(input: unknown): Buffer {
  if (input instanceof Uint8Array)
    return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  argError('convert: input must be a path or a Buffer');
}

async function readInput(input: string | Buffer | Uint8Array): Promise<Buffer> {
  if (typeof input !== 'string') return bufferInput(input);
  try {
    return await readWhole(input);
  } catch (err) {
    throw readError(input, err);
  }
}

function readInputSync(input: string | Buffer | Uint8Array): Buffer {
  if (typeof input !== 'string') return bufferInput(input);
  try {
    return readWholeSync(input);
  } catch (err) {
    throw readError(input, err);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * The checks before writing `output` (shared by both paths): not a folder, not the input, not existing unless
 * `overwrite`. Returns the absolute target and the temporary name next to it.
 */
function prepareOutput(
  output: string,
  overwrite: boolean,
  inputPath: string | undefined,
): { target: string; tmp: string } {
  const target = path.resolve(output);
  let exists = false;
  try {
    const st = fs.lstatSync(target);
    exists = true;
    if (st.isDirectory()) throw new GprError('GPR_E_IO', `output ${output} is a directory`);
  } catch (err) {
    if (err instanceof GprError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new GprError('GPR_E_IO', `cannot check output ${output}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (exists && inputPath !== undefined && sameFile(inputPath, target)) {
    throw new GprError('GPR_E_IO', `refusing to write over the input file ${output}`);
  }
  if (exists && !overwrite)
    throw new GprError('GPR_E_IO', `output ${output} already exists (use overwrite: true / --force to replace it)`);
  // Unique enough; open(..., 'wx') refuses an existing name anyway. (node:crypto would cost the CLI ~5 ms to load.)
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  return { target, tmp };
}

function writeError(output: string, err: unknown): GprError {
  if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
    return new GprError('GPR_E_IO', `output ${output} already exists (use overwrite: true / --force to replace it)`, {
      cause: err,
    });
  }
  return new GprError('GPR_E_IO', `cannot write ${output}: ${(err as Error).message}`, { cause: err });
}

/** fsync of a folder, so a rename in it is on disk (a no-op where folders cannot be opened, e.g. Windows). */
async function syncFolder(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await fsp().open(dir, 'r');
  } catch {
    return;
  }
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function syncFolderSync(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `bytes` to `output` through a temporary file in the same folder, then renames it into place, so a failure
 * leaves nothing half-written. Refuses an existing output unless `overwrite`, and never replaces `inputPath`.
 */
export async function writeFileSafely(
  output: string,
  bytes: Buffer,
  overwrite: boolean,
  inputPath?: string,
  durable = false,
): Promise<void> {
  const { target, tmp } = prepareOutput(output, overwrite, inputPath);
  try {
    const fh = await fsp().open(tmp, 'wx', 0o644);
    try {
      // One write call for the whole buffer (FileHandle#writeFile goes in 512 KiB chunks, a thread-pool trip each).
      let off = 0;
      while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
      if (durable) await fh.sync();
    } finally {
      await fh.close();
    }
    if (overwrite) {
      await fsp().rename(tmp, target);
    } else {
      // link() fails if the name appeared meanwhile, so a concurrent writer's file is never replaced.
      await fsp().link(tmp, target);
      await fsp().unlink(tmp);
    }
    if (durable) await syncFolder(path.dirname(target));
  } catch (err) {
    await fsp()
      .rm(tmp, { force: true })
      .catch(() => undefined);
    throw writeError(output, err);
  }
}

/** writeFileSafely in the calling thread: the same steps and guarantees. */
export function writeFileSafelySync(
  output: string,
  bytes: Buffer,
  overwrite: boolean,
  inputPath?: string,
  durable = false,
): void {
  const { target, tmp } = prepareOutput(output, overwrite, inputPath);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o644);
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (overwrite) {
      fs.renameSync(tmp, target);
    } else {
      fs.linkSync(tmp, target);
      fs.unlinkSync(tmp);
    }
    if (durable) syncFolderSync(path.dirname(target));
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw writeError(output, err);
  }
}

function inputFormat(bytes: Buffer): 'gpr' | 'dng' {
  const format = detectFormat(bytes);
  if (format !== 'gpr' && format !== 'dng') {
    const what =
      format === 'unknown'
        ? 'not a GPR or DNG (for headerless RAW input pass options.raw, or --raw-size on the command line)'
        : `a ${format.toUpperCase()} file, not a GPR or DNG`;
    throw new GprError('GPR_E_FORMAT', `convert: input is ${what}`);
  }
  return format;
}

/**
 * Converts a GPR, an uncompressed DNG or headerless RAW samples (with `options.raw`) to GPR, uncompressed 16-bit DNG,
 * RAW, PPM or JPEG. Resolves to the bytes, or writes them to `options.output` (then resolves to undefined).
 * The input is never modified. Rejects with GprError.
 */
export async function convert(
  input: string | Buffer | Uint8Array,
  options: ConvertOptions & { output: string },
): Promise<undefined>;
export async function convert(input: string | Buffer | Uint8Array, options: ConvertOptions): Promise<Buffer>;
export async function convert(
  input: string | Buffer | Uint8Array,
  options: ConvertOptions,
): Promise<Buffer | undefined> {
  const c = checkOptions(options);
  const bytes = await readInput(input);
  const out =
    c.raw !== undefined
      ? await convertRaw(bytes, c)
      : await nativeConvert(bytes, inputFormat(bytes), c, typeof input === 'string');
  if (c.output === undefined) return out;
  await writeFileSafely(c.output, out, c.overwrite, typeof input === 'string' ? input : undefined, c.durable);
  return undefined;
}

/**
 * `convert` in the calling thread, for the `leakproof gpr convert` command (one conversion per process, nothing else
 * to run meanwhile): the same checks, bytes and file safety, without thread-pool round trips or node:fs/promises.
 * Not part of the public `leakproof/gpr` API (library callers use the asynchronous `convert`).
 */
export function convertSync(input: string | Buffer | Uint8Array, options: ConvertOptions): Buffer | undefined {
  const c = checkOptions(options);
  const bytes = readInputSync(input);
  const out = c.raw !== undefined ? convertRawSync(bytes, c) : nativeConvertSync(bytes, inputFormat(bytes), c);
  if (c.output === undefined) return out;
  writeFileSafelySync(c.output, out, c.overwrite, typeof input === 'string' ? input : undefined, c.durable);
  return undefined;
}
