// The kernel's one amount formatter: sign, unknown values, byte units and counts, and that every face's name for it agrees.
import { formatAmount, formatBytes, formatCount, UNKNOWN_AMOUNT } from '../../../src/kernel/formatAmount';
import * as matcherFormat from '../../../matchers/formatBytes';
import * as reporterFormat from '../../../reporter/format';
import { formatAmount as profilerAmount } from '../../../src/profiler/formatAmount';

describe('formatAmount', () => {
  test.each([
    [0, 'bytes', false, '0 B'],
    [0, 'bytes', true, '0 B'],
    [-0, 'bytes', true, '0 B'],
    [512, 'bytes', true, '+512 B'],
    [-512, 'bytes', false, '-512 B'],
    [1536, 'bytes', false, '1.50 KiB'],
    [-204800, 'bytes', true, '-200 KiB'],
    [10 * 1024 * 1024, 'bytes', false, '10.0 MiB'],
    [5 * 1024 ** 3, 'bytes', true, '+5.00 GiB'],
    [3, 'count', true, '+3'],
    [0.5, 'count', false, '0.5'],
    [-1.25, 'count', true, '-1.25'],
    [0.123456, 'count', true, '+0.12'],
  ] as const)('%p %s signed=%p → %s', (value, unit, signed, text) => {
    expect(formatAmount(value, unit, signed)).toBe(text);
  });

  test.each([NaN, Infinity, -Infinity])('%p prints as n/a in both units, signed or not', (value) => {
    expect(UNKNOWN_AMOUNT).toBe('n/a');
    for (const unit of ['bytes', 'count'] as const) {
      expect(formatAmount(value, unit)).toBe('n/a');
      expect(formatAmount(value, unit, true)).toBe('n/a');
    }
  });

  test('formatBytes and formatCount are the two units of formatAmount', () => {
    expect(formatBytes(-1536, true)).toBe('-1.50 KiB');
    expect(formatCount(7, true)).toBe('+7');
  });
});

describe('every face prints an amount the same way (the NaN / n/a / sign drift is gone)', () => {
  const values = [0, 1, -1, 1023, 1536, -204800, 3 * 1024 * 1024, 0.5, NaN, Infinity];
  test.each(values)('%p', (value) => {
    for (const unit of ['bytes', 'count'] as const) {
      for (const signed of [false, true]) {
        const expected = formatAmount(value, unit, signed);
        expect(matcherFormat.formatAmount(value, unit, signed)).toBe(expected);
        expect(reporterFormat.formatQuantity(value, unit, signed)).toBe(expected);
        expect(profilerAmount(value, unit, signed)).toBe(expected);
      }
    }
  });
});
