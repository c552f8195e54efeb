// Pure parts of `leakproof check`: flag resolution, TARGET parsing, exit codes and the JSON document.
import {
  CHECK_EXIT,
  QUICK,
  checkJson,
  exitCodeOf,
  resolveSettings,
  type CheckOutcome,
} from '../../../src/cli/commands/check';
import { parseTarget } from '../../../src/cli/check/loadTarget';
import { CliError } from '../../../src/cli/main';

describe('resolveSettings', () => {
  test('defaults are the engine defaults; --quick is 50 iterations and 0.5 MiB', () => {
    expect(resolveSettings({})).toEqual({ iterations: 200, warmup: 20, threshold: 65536 });
    expect(resolveSettings({ quick: true })).toEqual({
      iterations: QUICK.iterations,
      warmup: 10,
      threshold: 512 * 1024,
    });
  });

  test('explicit flags win over --quick; warm-up is min(20, N/5), at least 5', () => {
    expect(resolveSettings({ quick: true, iterations: '1000', thresholdMb: '2' })).toEqual({
      iterations: 1000,
      warmup: 20,
      threshold: 2 * 1024 * 1024,
    });
    expect(resolveSettings({ iterations: '10' })).toMatchObject({ iterations: 10, warmup: 5 });
    expect(resolveSettings({ thresholdMb: '0' })).toMatchObject({ threshold: 0 });
  });

  test.each([
    [{ iterations: 'ten' }, /--iterations/],
    [{ iterations: '4' }, /--iterations/],
    [{ iterations: '1.5' }, /--iterations/],
    [{ thresholdMb: '' }, /--threshold-mb/],
    [{ thresholdMb: '-0.1' }, /--threshold-mb/],
    [{ thresholdMb: 'Infinity' }, /--threshold-mb/],
  ])('%j is a usage error (CliError, exit 2)', (flags, message) => {
    let err: unknown;
    try {
      resolveSettings(flags);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(CHECK_EXIT.usage);
    expect((err as Error).message).toMatch(message);
  });
});

describe('parseTarget', () => {
  test('splits at the last #; no # means the default export', () => {
    expect(parseTarget('lib/a.js#run')).toEqual({ file: 'lib/a.js', exportName: 'run' });
    expect(parseTarget('dir#x/a.js#run')).toEqual({ file: 'dir#x/a.js', exportName: 'run' });
    expect(parseTarget('a.mjs')).toEqual({ file: 'a.mjs', exportName: undefined });
  });

  test('an empty file or a non-identifier export is a usage error', () => {
    expect(() => parseTarget('#run')).toThrow(CliError);
    expect(() => parseTarget('a.js#')).toThrow(/not an identifier/);
    expect(() => parseTarget('a.js#1x')).toThrow(/not an identifier/);
  });
});

describe('exit codes and JSON', () => {
  const ok: CheckOutcome = { name: 'a', leak: false, durationMs: 10.4, metrics: [], full: [] };
  const leak: CheckOutcome = { ...ok, name: 'b', leak: true };
  const threw: CheckOutcome = { ...ok, name: 'c', error: 'boom' };

  test('0 clean, 1 any leak, 2 when a check could not be measured (takes precedence)', () => {
    expect(exitCodeOf([ok])).toBe(0);
    expect(exitCodeOf([ok, leak])).toBe(1);
    expect(exitCodeOf([leak, threw])).toBe(2);
    expect(exitCodeOf([])).toBe(0);
  });

  test('the JSON document carries the settings, the verdict and no sample series', () => {
    const j = checkJson([ok, leak], { iterations: 50, warmup: 10, threshold: 1024 }, 'x.js#f', 1234.6) as Record<
      string,
      unknown
    >;
    expect(j).toEqual({
      schema: 'leakproof-check',
      schemaVersion: 1,
      target: 'x.js#f',
      leak: true,
      exitCode: 1,
      iterations: 50,
      warmup: 10,
      threshold: 1024,
      durationMs: 1235,
      checks: [
        { name: 'a', leak: false, durationMs: 10, metrics: [] },
        { name: 'b', leak: true, durationMs: 10, metrics: [] },
      ],
    });
    expect(JSON.stringify(checkJson([threw], { iterations: 5, warmup: 5, threshold: 0 }, null, 0))).toContain(
      '"error":"boom"',
    );
  });
});
