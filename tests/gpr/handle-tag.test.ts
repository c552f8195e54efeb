// The decoder handle is a type-tagged External: an External another addon made, or any other value, is refused with
// GPR_E_ARGUMENT before its pointer is used (without the tag check the first case reads foreign memory).
import * as path from 'node:path';
import { loadNative } from '../../src/native';

type Fn = (...args: unknown[]) => unknown;
const addon = loadNative() as unknown as Record<string, Fn>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testing = require(path.resolve(__dirname, '../../native/build/Release/leakproof_testing.node')) as {
  foreignExternal(): unknown;
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
}

function smallGpr(): Uint8Array {
  const w = 64;
  const h = 64;
  const data = new Uint16Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 4096;
  return addon.gprEncode(data, { width: w, height: h, bitDepth: 12, cfaPattern: 'RGGB' }) as Uint8Array;
}

test('a handle this addon made passes the tag check', () => {
  const h = addon.gprOpen(smallGpr());
  expect((addon.gprInfo(h) as { width: number }).width).toBe(64);
  addon.gprClose(h);
  expect(codeOf(() => addon.gprInfo(h))).toBe('GPR_E_CLOSED');
});

test.each([
  ['an External from another addon', () => testing.foreignExternal()],
  ['a plain object', () => ({})],
  ['a number', () => 42],
])('%s is not a GPR handle: GPR_E_ARGUMENT from every handle entry', (_name, make) => {
  const v = make();
  expect(codeOf(() => addon.gprInfo(v))).toBe('GPR_E_ARGUMENT');
  expect(codeOf(() => addon.gprMetadata(v))).toBe('GPR_E_ARGUMENT');
  expect(codeOf(() => addon.gprDecodeRaw(v, 1, 1))).toBe('GPR_E_ARGUMENT');
  expect(codeOf(() => addon.gprDecodeRgbAsync(v, 2, 8, 1))).toBe('GPR_E_ARGUMENT');
  expect(codeOf(() => addon.gprClose(v))).toBe('GPR_E_ARGUMENT');
});
