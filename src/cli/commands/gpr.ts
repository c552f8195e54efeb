// `leakproof gpr info|convert`: inspect GPR/DNG files and convert between GPR, DNG, RAW, PPM and JPEG.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { GprError, type GprErrorCode } from '../../gpr/GprError';
import type { GprImage as GprImageClass } from '../../gpr/GprImage';
import { convert, convertSync, type ConvertOptions, type ConvertTarget } from '../../gpr/convert';
import { detectFormat } from '../../gpr/detectFormat';
import { encoderNative } from '../../gpr/encodeGpr';
import { CliError } from '../CliError';

/** Exit codes of `leakproof gpr` (documented in docs/cli.md). */
export const GPR_EXIT = {
  ok: 0,
  /** An input could not be decoded or converted (format, truncated, corrupt, unsupported, limit); in a batch: any file failed. */
  failed: 1,
  /** Bad command line or option values. */
  usage: 2,
  /** File system: unreadable input, output exists (without --force), cannot write. */
  io: 3,
} as const;

function exitFor(code: GprErrorCode): number {
  if (code === 'GPR_E_ARGUMENT') return GPR_EXIT.usage;
  if (code === 'GPR_E_IO') return GPR_EXIT.io;
  return GPR_EXIT.failed;
}

/** One line: `CODE: message`, and the exit code for it. */
function toCli(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof GprError) return new CliError(`${err.code}: ${err.message}`, exitFor(err.code), { cause: err });
  return new CliError(`GPR_E_IO: ${(err as Error)?.message ?? String(err)}`, GPR_EXIT.io, { cause: err });
}

const EXTENSIONS: Record<string, ConvertTarget> = {
  '.gpr': 'gpr',
  '.dng': 'dng',
  '.raw': 'raw',
  '.ppm': 'ppm',
  '.jpg': 'jpg',
  '.jpeg': 'jpg',
};

function targetFromName(file: string): ConvertTarget | undefined {
  return EXTENSIONS[path.extname(file).toLowerCase()];
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v))
    throw new CliError(
      `GPR_E_ARGUMENT: --${name} must be a positive integer, got ${JSON.stringify(v)}`,
      GPR_EXIT.usage,
    );
  return Number(v);
}

export interface ConvertFlags {
  to?: string;
  out?: string;
  quality?: string;
  resolution?: string;
  bits?: string;
  force?: boolean;
  durable?: boolean;
  threads?: string;
  rawSize?: string;
  rawBits?: string;
  rawCfa?: string;
  metadata?: string;
}

function buildOptions(flags: ConvertFlags, to: ConvertTarget): ConvertOptions {
  const o: ConvertOptions = { to, overwrite: Boolean(flags.force), durable: Boolean(flags.durable) };
  if (flags.quality !== undefined) o.quality = flags.quality as ConvertOptions['quality'];
  o.resolution = int('resolution', flags.resolution);
  o.bits = int('bits', flags.bits);
  // The command uses the machine's cores (up to the 4 VC-5 channels); the library's default stays 1 thread.
  o.threads = int('threads', flags.threads) ?? defaultThreads();
  if (flags.rawSize !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(flags.rawSize);
    if (!m)
      throw new CliError(
        `GPR_E_ARGUMENT: --raw-size must be WIDTHxHEIGHT, got ${JSON.stringify(flags.rawSize)}`,
        GPR_EXIT.usage,
      );
    o.raw = {
      width: Number(m[1]),
      height: Number(m[2]),
      bitDepth: (int('raw-bits', flags.rawBits) ?? 12) as 12 | 14,
      cfaPattern: (flags.rawCfa ?? 'RGGB') as 'RGGB',
    };
  } else if (flags.rawBits !== undefined || flags.rawCfa !== undefined) {
    throw new CliError('GPR_E_ARGUMENT: --raw-bits and --raw-cfa need --raw-size', GPR_EXIT.usage);
  }
  if (flags.metadata !== undefined) o.metadata = readMetadataFile(flags.metadata);
  return o;
}

/** Threads a conversion uses without --threads: one per core, at most 4 (the encoder and decoder split 4 channels). */
export function defaultThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

function parseTarget(to: string | undefined): ConvertTarget | undefined {
  if (to === undefined) return undefined;
  const t = to.toLowerCase() === 'jpeg' ? 'jpg' : to.toLowerCase();
  if (!['gpr', 'dng', 'raw', 'ppm', 'jpg'].includes(t)) {
    throw new CliError(
      `GPR_E_ARGUMENT: --to must be gpr, dng, raw, ppm or jpg, got ${JSON.stringify(to)}`,
      GPR_EXIT.usage,
    );
  }
  return t as ConvertTarget;
}

async function convertOne(input: string, output: string, flags: ConvertFlags): Promise<void> {
  const to = parseTarget(flags.to) ?? targetFromName(output);
  if (!to)
    throw new CliError(
      `GPR_E_ARGUMENT: cannot tell the output format from ${JSON.stringify(output)}; use --to gpr|dng|raw|ppm|jpg`,
      GPR_EXIT.usage,
    );
  try {
    // One conversion per process: in the calling thread (no thread-pool round trips, no node:fs/promises).
    convertSync(input, { ...buildOptions(flags, to), output });
  } catch (err) {
    throw toCli(err);
  }
  writeStdout(`${input} -> ${output}\n`);
}

/**
 * A line to stdout without creating process.stdout (its stream classes cost the command ~5 ms to load); falls back to
 * process.stdout when fd 1 cannot take it synchronously (a non-blocking pipe that is full, or no fd 1).
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let off = 0;
  try {
    while (off < bytes.length) off += fs.writeSync(1, bytes, off, bytes.length - off);
  } catch {
    process.stdout.write(bytes.subarray(off));
  }
}

async function convertBatch(inputs: string[], flags: ConvertFlags): Promise<number> {
  const to = parseTarget(flags.to);
  if (!to)
    throw new CliError('GPR_E_ARGUMENT: batch conversion (--out DIR) needs --to gpr|dng|raw|ppm|jpg', GPR_EXIT.usage);
  const outDir = flags.out as string;
  if (!fs.existsSync(outDir) || !fs.statSync(outDir).isDirectory()) {
    throw new CliError(`GPR_E_IO: output folder ${outDir} does not exist`, GPR_EXIT.io);
  }
  const options = buildOptions(flags, to);
  const failures: string[] = [];
  const started = Date.now();
  const bar = process.stderr.isTTY
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      new (require('cli-progress') as typeof import('cli-progress')).SingleBar({
        format: 'converting [{bar}] {value}/{total} {file}',
        stream: process.stderr,
        hideCursor: true,
      })
    : undefined;
  bar?.start(inputs.length, 0, { file: '' });
  let done = 0;
  for (const input of inputs) {
    const output = path.join(outDir, `${path.parse(input).name}.${to}`);
    bar?.update(done, { file: path.basename(input) });
    try {
      await convert(input, { ...options, output });
    } catch (err) {
      const e = toCli(err);
      failures.push(`${input}: ${e.message}`);
    }
    done += 1;
    bar?.update(done, { file: '' });
  }
  bar?.stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `converted ${inputs.length - failures.length} of ${inputs.length} file(s) to ${to} in ${seconds} s` +
      (failures.length ? `, ${failures.length} failed:\n` : '\n'),
  );
  for (const f of failures) process.stdout.write(`  ${f}\n`);
  return failures.length ? GPR_EXIT.failed : GPR_EXIT.ok;
}

// JSON output: byte blocks as base64 strings, which `convert --metadata FILE` reads back.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (
    value &&
    typeof value === 'object' &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}

function describeInfo(file: string): Record<string, unknown> {
  const format = detectFormat(file);
  if (format === 'gpr') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GprImage } = require('../../gpr/GprImage') as { GprImage: typeof GprImageClass };
    const img = GprImage.open(file);
    try {
      return { file, format, info: img.info, metadata: img.metadata };
    } finally {
      img.close();
    }
  }
  if (format === 'dng') {
    const bytes = fs.readFileSync(file);
    const r = encoderNative().gprReadDng(bytes) as { width: number; height: number; metadata: Record<string, unknown> };
    return {
      file,
      format,
      info: { width: r.width, height: r.height, compression: 'uncompressed 16-bit' },
      metadata: r.metadata,
    };
  }
  throw new GprError(
    'GPR_E_FORMAT',
    `${file} is ${format === 'unknown' ? 'not a GPR or DNG' : `a ${format.toUpperCase()} file, not a GPR or DNG`}`,
  );
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '-';
  if (Buffer.isBuffer(v)) return `${v.length} bytes`;
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'number' ? String(Number(x.toFixed(6))) : String(x))).join(' ');
  if (typeof v === 'number') return String(Number(v.toFixed(6)));
  return String(v);
}

function printInfo(d: Record<string, unknown>): void {
  const info = d.info as Record<string, unknown>;
  const md = d.metadata as Record<string, unknown>;
  const vc5 = info.vc5 as Record<string, unknown> | undefined;
  const rows: [string, unknown][] = [
    ['file', d.file],
    ['format', d.format],
    ['size', `${String(info.width)} x ${String(info.height)}`],
    ['CFA', info.cfaPattern ?? md.cfaPattern],
    ['decoded bits', info.bitDepth],
    ['black / white', `${show(md.blackLevel)} / ${show(md.whiteLevel)}`],
    ['layout', info.layout ?? info.compression],
    [
      'VC-5 payload',
      vc5
        ? `${String(vc5.payloadBytes)} bytes at ${String(vc5.payloadOffset)}, quantizers ${show(vc5.quantization)}`
        : undefined,
    ],
    ['camera', `${show(md.make)} ${show(md.model)}`],
    ['date', md.dateTimeOriginal ?? md.dateTime],
    ['exposure', md.exposureTimeRational ? (md.exposureTimeRational as number[]).join('/') + ' s' : md.exposureTime],
    ['f-number', md.fNumber],
    ['ISO', md.iso],
    ['orientation', md.orientation],
    ['as-shot neutral', md.asShotNeutral],
    ['colour matrix 1', md.colorMatrix1],
    ['GPMF', md.gpmf],
  ];
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(16)} ${show(v)}\n`);
}

/** `gpr convert`'s flags: name, value placeholder ('' for a switch), help. One table for commander and gprFast. */
export const CONVERT_FLAGS: readonly (readonly [name: string, value: string, help: string])[] = [
  ['to', '<format>', 'output format: gpr, dng, raw, ppm, jpg'],
  ['out', '<dir>', 'batch mode: write each output into this folder'],
  ['quality', '<q>', 'GPR encoding quality: fs1 (default) or fast'],
  ['resolution', '<n>', 'PPM/JPEG preview scale: 2, 4, 8 or 16 (default 2)'],
  ['bits', '<n>', 'PPM sample bits: 8 (default) or 16'],
  ['force', '', 'replace existing output files'],
  ['durable', '', 'fsync each output and its folder before returning (default: atomic rename, no fsync)'],
  ['threads', '<n>', 'threads for encoding/decoding (default: one per core, at most 4)'],
  ['raw-size', '<WxH>', 'headerless RAW input: size in samples'],
  ['raw-bits', '<n>', 'headerless RAW input: 12 (default) or 14'],
  ['raw-cfa', '<pattern>', 'headerless RAW input: RGGB (default) or GBRG'],
  [
    'metadata',
    '<file>',
    'RAW input: metadata JSON (e.g. from `leakproof gpr info --json`, its "metadata" field or the whole output)',
  ],
];

export function register(program: Command): void {
  const gpr = program.command('gpr').description('inspect and convert GoPro GPR raw files (and DNG/RAW)');
  gpr
    .command('info')
    .description('print size, CFA, levels, VC-5 facts and camera metadata of a GPR or DNG')
    .argument('<file>', 'GPR or DNG file')
    .option('--json', 'print JSON (byte blocks as base64; usable as --metadata for convert)')
    .action(infoAction);
  const cmd = gpr
    .command('convert')
    .description("convert IN OUT (format from OUT's extension or --to), or FILES... --to FORMAT --out DIR")
    .argument('<files...>', 'IN OUT, or several inputs with --out DIR');
  for (const [name, value, help] of CONVERT_FLAGS) cmd.option(value ? `--${name} ${value}` : `--${name}`, help);
  cmd.action(convertAction);
}

/** `gpr info FILE [--json]` (also run without commander by src/cli/gprFast.ts). */
export function infoAction(file: string, flags: { json?: boolean }): void {
  let d: Record<string, unknown>;
  try {
    d = describeInfo(file);
  } catch (err) {
    throw toCli(err);
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(d, jsonReplacer, 2)}\n`);
  else printInfo(d);
}

/** `gpr convert IN OUT | FILES... --out DIR` (also run without commander by src/cli/gprFast.ts). */
export async function convertAction(files: string[], flags: ConvertFlags): Promise<void> {
  if (flags.out !== undefined) {
    process.exitCode = await convertBatch(files, flags);
    return;
  }
  if (files.length !== 2) {
    throw new CliError(
      `GPR_E_ARGUMENT: expected IN OUT (got ${files.length} path(s)); for several inputs use --to FORMAT --out DIR`,
      GPR_EXIT.usage,
    );
  }
  await convertOne(files[0], files[1], flags);
}

// `gpr info --json` prints {file, format, info, metadata}: that whole document works as a metadata file too.
function readMetadataFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`GPR_E_IO: cannot read metadata file ${file}: ${(err as Error).message}`, GPR_EXIT.io, {
      cause: err,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(
      `GPR_E_ARGUMENT: metadata file ${file} is not valid JSON: ${(err as Error).message}`,
      GPR_EXIT.usage,
      { cause: err },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`GPR_E_ARGUMENT: metadata file ${file} must hold a JSON object`, GPR_EXIT.usage);
  }
  const doc = parsed as { format?: unknown; metadata?: unknown };
  if (doc.format !== undefined && doc.metadata && typeof doc.metadata === 'object')
    return doc.metadata as Record<string, unknown>;
  return parsed as Record<string, unknown>;
}
