import { classifyGrowth } from '../../../src/stats/classifyGrowth';
import { gaussian, positions } from '../../helpers/rng';

const x = positions(21);
const RES = 4096;

describe('classifyGrowth', () => {
  test('none: flat within the resolution', () => {
    const noise = gaussian(1);
    expect(classifyGrowth({ x, y: x.map(() => 1e6 + 300 * noise()), resolution: RES })).toBe('none');
  });

  test('linear: a steady rise', () => {
    const noise = gaussian(2);
    expect(classifyGrowth({ x, y: x.map((v) => 1e6 + 1024 * v + 500 * noise()), resolution: RES })).toBe('linear');
  });

  test('step: one jump, flat on both sides', () => {
    const noise = gaussian(3);
    expect(
      classifyGrowth({ x, y: x.map((v, i) => 1e6 + (i >= 9 ? 300_000 : 0) + 200 * noise()), resolution: RES }),
    ).toBe('step');
  });

  test('plateau: rises, then stops', () => {
    const y = x.map((v) => 1e6 + 2000 * Math.min(v, 100));
    expect(classifyGrowth({ x, y, resolution: RES })).toBe('plateau');
  });

  test('noisy: scatter far larger than any trend', () => {
    const noise = gaussian(4);
    expect(classifyGrowth({ x, y: x.map(() => 1e6 + 200_000 * noise()), resolution: RES })).toBe('noisy');
  });

  test('leading rows that held memory released later are set aside (up to two); a low first row is growth and stays', () => {
    // The CI case: a 4 KiB/iteration leak over 11 rows, with 2 MiB of earlier garbage still counted in row 0.
    const rows = positions(11).map((v) => v / 10);
    const leak = rows.map((v) => 50e6 + 4096 * v);
    expect(classifyGrowth({ x: rows, y: leak, resolution: RES })).toBe('linear');
    const released = leak.map((v, i) => (i === 0 ? v + 2 * 1024 * 1024 : v));
    expect(classifyGrowth({ x: rows, y: released, resolution: RES })).toBe('linear');
    // Flat code whose baseline held garbage is flat.
    expect(classifyGrowth({ x: rows, y: rows.map((_, i) => 50e6 + (i === 0 ? 3e6 : 0)), resolution: RES })).toBe(
      'none',
    );
    // A first row below a flat rest is a one-off allocation by fn: a step up, never set aside.
    const stepUp = rows.map((_, i) => 50e6 + (i === 0 ? 0 : 3e6));
    expect(classifyGrowth({ x: rows, y: stepUp, resolution: RES })).not.toBe('none');
    // Released after row 1 instead (V8's external total settles lazily): both leading rows are set aside.
    const twoLate = leak.map((v, i) => (i < 2 ? v + [5, 3][i] * 1024 * 1024 : v));
    expect(classifyGrowth({ x: rows, y: twoLate, resolution: RES })).toBe('linear');
    // Three high rows are not a late release of the baseline: a real step down stays a step.
    const stepDown = rows.map((_, i) => 50e6 + (i < 3 ? 3e6 : 0));
    expect(classifyGrowth({ x: rows, y: stepDown, resolution: RES })).toBe('step');
  });

  test('counts: a +1 per sample rise is linear, a constant count is none', () => {
    expect(classifyGrowth({ x, y: x.map((_, i) => 20 + i), resolution: 1 })).toBe('linear');
    expect(classifyGrowth({ x, y: x.map(() => 20), resolution: 1 })).toBe('none');
  });
});
