// The codec's limits reach TS from the addon (exports.gprLimits, made from native/gpr/gpr_limits.h), not as copies;
// without the addon, leakproof/gpr still loads and its calls throw GprError GPR_E_ADDON_UNAVAILABLE.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNative } from '../../src/native';
import { gprLimits } from '../../src/gpr/limits';

const repoRoot = path.resolve(__dirname, '..', '..');

/** kName = value pairs of gpr_limits.h, evaluated (they are products of integer literals). */
function headerLimits(): Record<string, number> {
  const src = fs.readFileSync(path.join(repoRoot, 'native', 'gpr', 'gpr_limits.h'), 'utf8');
  const out: Record<string, number> = {};
  for (const m of src.matchAll(/constexpr \w+ k(\w+) = ([0-9'* ]+(?:ull)?(?: \* [0-9]+)*);/g)) {
    const expr = m[2].replace(/'/g, '').replace(/ull/g, '');
    const value = expr.split('*').reduce((p, f) => p * Number(f.trim()), 1);
    out[m[1].charAt(0).toLowerCase() + m[1].slice(1)] = value;
  }
  return out;
}

test('the addon exports every gpr_limits.h constant, with its value, as a frozen object', () => {
  const fromHeader = headerLimits();
  expect(Object.keys(fromHeader).length).toBe(10);
  const exported = (loadNative() as unknown as { gprLimits: Record<string, number> }).gprLimits;
  expect(Object.isFrozen(exported)).toBe(true);
  expect({ ...exported }).toEqual(fromHeader);
  expect(gprLimits()).toBe(exported);
});

test('without the addon: leakproof/gpr loads, argument errors stay GPR_E_ARGUMENT, the rest GPR_E_ADDON_UNAVAILABLE', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-no-addon-'));
  const script = `
    const gpr = require(${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'gpr'))});
    const codeOf = (fn) => { try { fn(); return 'no error'; } catch (e) { return e.name + ' ' + e.code; } };
    const data = new Uint16Array(64 * 64);
    console.log(JSON.stringify({
      open: codeOf(() => gpr.GprImage.open(Buffer.alloc(8))),
      encode: codeOf(() => gpr.encodeGpr({ data, width: 64, height: 64, bitDepth: 12 })),
      badData: codeOf(() => gpr.encodeGpr({ data: 'x', width: 64, height: 64, bitDepth: 12 })),
    }));`;
  try {
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, LEAKPROOF_NATIVE_DIR: empty },
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      open: 'GprError GPR_E_ADDON_UNAVAILABLE',
      encode: 'GprError GPR_E_ADDON_UNAVAILABLE',
      badData: 'GprError GPR_E_ARGUMENT',
    });
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
