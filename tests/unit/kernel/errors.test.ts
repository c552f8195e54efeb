// The one error family: every public error is a LeakproofError with its own name, a documented code and its cause.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { LeakproofError, isLeakproofError } from '../../../src/errors';
import { ReporterError } from '../../../reporter/ReporterError';
import { ProfilerError } from '../../../src/profiler/ProfilerError';
import { GprError } from '../../../src/gpr/GprError';
import { CliError } from '../../../src/cli/CliError';
import { toGprError } from '../../../src/gpr/toGprError';
import { toGprError as encodeToGprError } from '../../../src/gpr/encodeGpr';

const ROOT = path.resolve(__dirname, '../../..');

describe('the error family', () => {
  const cause = new Error('underlying');
  const members: [Error, string, string][] = [
    [new LeakproofError('LEAKPROOF_E_OPTIONS', 'm', { cause }), 'LeakproofError', 'LEAKPROOF_E_OPTIONS'],
    [new ReporterError('ERR_REPORT_PARSE', 'm', { cause }), 'ReporterError', 'ERR_REPORT_PARSE'],
    [new ProfilerError('m', { cause }), 'ProfilerError', 'LEAKPROOF_E_PROFILER_STATE'],
    [new GprError('GPR_E_CORRUPT', 'm', { cause }), 'GprError', 'GPR_E_CORRUPT'],
    [new CliError('m', 3, { cause }), 'CliError', 'LEAKPROOF_E_CLI'],
  ];

  test.each(members)('%s keeps its name and code, is a LeakproofError and keeps its cause', (err, name, code) => {
    expect(err).toBeInstanceOf(LeakproofError);
    expect(err).toBeInstanceOf(Error);
    expect(isLeakproofError(err)).toBe(true);
    expect(err.name).toBe(name);
    expect((err as LeakproofError<string>).code).toBe(code);
    expect(err.cause).toBe(cause);
  });

  test('CliError keeps its exit code; a plain Error or a look-alike without the brand is not in the family', () => {
    expect(new CliError('usage').exitCode).toBe(2);
    expect(isLeakproofError(Object.assign(new Error('x'), { code: 'ERR_X' }))).toBe(false);
    expect(isLeakproofError({ name: 'ReporterError', code: 'ERR_REPORT_PARSE' })).toBe(false);
    expect(isLeakproofError(null)).toBe(false);
  });

  test('recognised across realms: by the shared brand, and by the old name check', () => {
    const branded = vm.runInNewContext(`({ code: 'GPR_E_IO', [Symbol.for('leakproof.error')]: true })`);
    expect(isLeakproofError(branded)).toBe(true);
    expect(isLeakproofError(vm.runInNewContext(`({ name: 'LeakproofError', code: 'LEAKPROOF_E_GC' })`))).toBe(true);
  });
});

describe('toGprError: one mapping for decode, encode and convert', () => {
  test('a coded native error keeps its code and message, with the original as cause', () => {
    const native = Object.assign(new Error('bad tile'), { code: 'GPR_E_CORRUPT' });
    const e = toGprError(native);
    expect(e).toBeInstanceOf(GprError);
    expect([e.code, e.message, e.cause]).toEqual(['GPR_E_CORRUPT', 'bad tile', native]);
  });

  test('anything else becomes GPR_E_ARGUMENT (decode used to rethrow it untyped), and a GprError passes through', () => {
    const plain = new TypeError('A number was expected');
    const e = toGprError(plain);
    expect([e.code, e.message, e.cause]).toEqual(['GPR_E_ARGUMENT', 'A number was expected', plain]);
    expect(toGprError('oops').message).toBe('oops');
    const g = new GprError('GPR_E_LIMIT', 'too big');
    expect(toGprError(g)).toBe(g);
    expect(encodeToGprError).toBe(toGprError);
  });
});

describe('former plain Errors are typed', () => {
  // Child processes load the built package (dist/), as a user's process would.
  function codeOf(script: string, env: Record<string, string> = {}): string {
    const probe = `try { ${script} ; console.log('no error') } catch (e) { console.log(e.code + ' ' + e.name) }`;
    return execFileSync(process.execPath, ['-e', probe], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }).trim();
  }

  test('matchers/setup outside Jest: LEAKPROOF_E_SETUP', () => {
    expect(codeOf(`require('./dist/matchers/setup.js')`)).toBe('LEAKPROOF_E_SETUP LeakproofError');
  });

  test('the native addon missing: LEAKPROOF_E_NATIVE_UNAVAILABLE', () => {
    const missing = path.join(ROOT, 'tests', 'no-such-native-dir');
    expect(codeOf(`require('./dist/src/native.js').loadNative()`, { LEAKPROOF_NATIVE_DIR: missing })).toBe(
      'LEAKPROOF_E_NATIVE_UNAVAILABLE LeakproofError',
    );
  });
});
