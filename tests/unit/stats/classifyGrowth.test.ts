import { classifyGrowth } from '../../../src/stats/classifyGrowth';
import { gaussian, positions } from './rng';

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
    expect(classifyGrowth({ x, y: x.map((v, i) => 1e6 + (i >= 9 ? 300_000 : 0) + 200 * noise()), resolution: RES })).toBe('step');
  });

  test('plateau: rises, then stops', () => {
    const y = x.map((v) => 1e6 + 2000 * Math.min(v, 100));
    expect(classifyGrowth({ x, y, resolution: RES })).toBe('plateau');
  });

  test('noisy: scatter far larger than any trend', () => {
    const noise = gaussian(4);
    expect(classifyGrowth({ x, y: x.map(() => 1e6 + 200_000 * noise()), resolution: RES })).toBe('noisy');
  });

  test('counts: a +1 per sample rise is linear, a constant count is none', () => {
    expect(classifyGrowth({ x, y: x.map((_, i) => 20 + i), resolution: 1 })).toBe('linear');
    expect(classifyGrowth({ x, y: x.map(() => 20), resolution: 1 })).toBe('none');
  });
});
