// formatAmount: signed binary-unit bytes and counts.
import { formatAmount } from '../../../src/profiler/formatAmount';

test.each([
  [0, 'bytes', true, '0 B'],
  [512, 'bytes', true, '+512 B'],
  [-512, 'bytes', true, '-512 B'],
  [1536, 'bytes', true, '+1.50 KiB'],
  [64 * 1024, 'bytes', false, '64.0 KiB'],
  [300 * 1024, 'bytes', true, '+300 KiB'],
  [5 * 1024 * 1024 * 1024, 'bytes', true, '+5.00 GiB'],
  [3, 'count', true, '+3'],
  [-1.25, 'count', true, '-1.25'],
  [NaN, 'bytes', true, 'n/a'],
] as const)('%p %s signed=%p → %s', (value, unit, signed, expected) => {
  expect(formatAmount(value, unit, signed)).toBe(expected);
});
