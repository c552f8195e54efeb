// The kernel's slope formatter: the slope signed, its 95% interval, in the metric's unit (every reporter output uses it).
import { formatSlope } from '../../../src/kernel';
import { metric } from '../../helpers/syntheticRecords';

describe('formatSlope', () => {
  it('prints slope and its interval in the metric unit', () => {
    expect(formatSlope(metric('heap', 1024))).toBe('+1.00 KiB/iter [922 B … 1.10 KiB]');
    expect(formatSlope(metric('fds', 1))).toBe('+1/iter [0.9 … 1.1]');
  });
});
