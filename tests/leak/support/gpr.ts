// `leakproof/gpr` as the leak suites see it (jest.config.js maps the name here): the compiled package code, untouched,
// unless LEAKPROOF_INJECT_RETAIN_BYTES is set. Then every public operation also retains a JS object of about that many
// bytes per call: the JS half of the injection proof (tests/integration/leak-injection.test.ts), never used otherwise.
import * as path from 'node:path';
import type * as GprModule from '../../../src/gpr';

// The compiled package (what users install), not the TypeScript sources: `npm run leaks` builds it first.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real = require(path.resolve(__dirname, '..', '..', '..', 'dist', 'src', 'gpr')) as typeof GprModule;

/** Bytes each public call retains, from LEAKPROOF_INJECT_RETAIN_BYTES; 0 (off) when unset. */
export function injectedRetainBytes(): number {
  const raw = process.env.LEAKPROOF_INJECT_RETAIN_BYTES;
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`LEAKPROOF_INJECT_RETAIN_BYTES must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return n;
}

const RETAIN = injectedRetainBytes();
/** Never cleared while injection is on: that is the leak. */
const retained: unknown[] = [];
let calls = 0;

/** Public calls seen since the module loaded (counted only while retention is on). */
export function injectedCalls(): number {
  return calls;
}

function retain(): void {
  calls++;
  // A plain JS array of small integers: 8 bytes per element on the V8 heap, so ~RETAIN bytes per call.
  retained.push(new Array(Math.max(1, Math.floor(RETAIN / 8))).fill(calls & 0xff));
}

function wrapFn<F extends (...args: never[]) => unknown>(fn: F): F {
  if (RETAIN === 0) return fn;
  return function (this: unknown, ...args: Parameters<F>) {
    retain();
    return fn.apply(this, args);
  } as F;
}

if (RETAIN > 0) {
  // Patch this test file's own copy of the module (Jest gives each test file a fresh module registry).
  const proto = real.GprImage.prototype as unknown as Record<string, (...args: never[]) => unknown>;
  for (const m of ['decodeRaw', 'decodeRawAsync', 'decodeRgb', 'decodeRgbAsync', 'close']) proto[m] = wrapFn(proto[m]);
  for (const getter of ['info', 'metadata']) {
    const d = Object.getOwnPropertyDescriptor(real.GprImage.prototype, getter);
    if (d?.get) Object.defineProperty(real.GprImage.prototype, getter, { ...d, get: wrapFn(d.get) });
  }
  const statics = real.GprImage as unknown as Record<string, (...args: never[]) => unknown>;
  for (const m of ['open', 'openAsync']) statics[m] = wrapFn(statics[m].bind(real.GprImage));
}

export const GprImage = real.GprImage;
export type GprImage = GprModule.GprImage;
export const GprError = real.GprError;
export type GprError = GprModule.GprError;
export const encodeGpr = wrapFn(real.encodeGpr);
export const encodeGprAsync = wrapFn(real.encodeGprAsync);
export const encodeVc5 = wrapFn(real.encodeVc5);
export const convert = wrapFn(real.convert) as typeof real.convert;
export const detectFormat = wrapFn(real.detectFormat);
export type { GprMetadata, GprInfo } from '../../../src/gpr';
