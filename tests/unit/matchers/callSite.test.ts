import { callSite } from '../../../matchers/callSite';
import { formatAmount, formatBytes } from '../../../matchers/formatBytes';

describe('callSite', () => {
  const stack = [
    'Error',
    '    at Object.toLeakMemory (/repo/matchers/toLeakMemory.ts:40:17)',
    '    at __EXTERNAL_MATCHER_TRAP__ (/repo/node_modules/expect/build/index.js:2288:30)',
    '    at Object.<anonymous> (/repo/tests/a (1).test.ts:12:34)',
    '    at /repo/tests/a (1).test.ts:99:1',
  ].join('\n');

  test('finds the first frame in the test file, with special characters in the path', () => {
    expect(callSite(stack, '/repo/tests/a (1).test.ts')).toEqual({ line: 12, column: 34 });
  });

  test('undefined when the test file is not on the stack', () => {
    expect(callSite(stack, '/repo/tests/other.test.ts')).toBeUndefined();
    expect(callSite(undefined, '/x')).toBeUndefined();
  });

  test('finds this very line when called from a test', () => {
    const here = callSite(new Error().stack, __filename);
    expect(here).toEqual({ line: 23, column: expect.any(Number) });
  });
});

describe('formatBytes / formatAmount', () => {
  test.each([
    [0, false, '0 B'],
    [1023, false, '1023 B'],
    [1536, true, '+1.50 KiB'],
    [-204800, true, '-200 KiB'],
    [3 * 1024 * 1024, false, '3.00 MiB'],
  ])('%p (signed %p) → %p', (n, signed, text) => {
    expect(formatBytes(n, signed)).toBe(text);
  });

  test('counts print as integers or with at most two decimals', () => {
    expect(formatAmount(200, 'count', true)).toBe('+200');
    expect(formatAmount(0.5, 'count')).toBe('0.5');
    expect(formatAmount(-1, 'count', true)).toBe('-1');
  });
});
