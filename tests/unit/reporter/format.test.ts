import { formatBytes, formatCount, relativeTestPath, sparkline } from '../../../reporter/format';

describe('formatBytes', () => {
  it.each([
    [0, false, '0 B'],
    [512, false, '512 B'],
    [1536, false, '1.50 KiB'],
    [1536, true, '+1.50 KiB'],
    [-1536, true, '-1.50 KiB'],
    [10 * 1024 * 1024, false, '10.0 MiB'],
    [300 * 1024, false, '300 KiB'],
    [Number.NaN, false, 'n/a'],
  ])('%d (signed %s) → %s', (v, signed, out) => {
    expect(formatBytes(v, signed)).toBe(out);
  });
});

describe('formatCount', () => {
  it('rounds to two decimals and signs positive values on request', () => {
    expect(formatCount(0.123456, true)).toBe('+0.12');
    expect(formatCount(-3)).toBe('-3');
  });
});

describe('sparkline', () => {
  it('draws a rising series from the lowest to the highest bar', () => {
    expect(sparkline({ samples: [1, 2, 3, 4, 5, 6, 7, 8] })).toBe('▁▂▃▄▅▆▇█');
  });
  it('buckets long series to 16 characters', () => {
    const s = sparkline({ samples: Array.from({ length: 100 }, (_, i) => i) });
    expect([...s]).toHaveLength(16);
    expect(s[0]).toBe('▁');
    expect(s[s.length - 1]).toBe('█');
  });
  it('draws a flat series flat and an empty one as nothing', () => {
    expect(sparkline({ samples: [5, 5, 5] })).toBe('▁▁▁');
    expect(sparkline({ samples: [] })).toBe('');
  });
});

describe('relativeTestPath', () => {
  it('makes paths inside rootDir relative with forward slashes', () => {
    expect(relativeTestPath('/p', '/p/tests/x.test.ts')).toBe('tests/x.test.ts');
  });
  it('keeps paths outside rootDir absolute', () => {
    expect(relativeTestPath('/p', '/other/x.test.ts')).toBe('/other/x.test.ts');
  });
});
