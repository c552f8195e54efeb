// Type-level contract, checked by `npm run typecheck`: toLeakMemory exists on both `expect`s with the documented signatures.
import { expect as globalsExpect } from '@jest/globals';
import type { LeakMatcherOptions } from '../../../matchers';

const options: LeakMatcherOptions = {
  threshold: 1024 * 1024,
  iterations: 10,
  warmup: 1,
  samples: 5,
  metrics: ['heap', 'native'],
};

test('both expects accept every documented form and return promises', async () => {
  const fn = (): number => 1;
  const results: Array<Promise<void>> = [
    expect(fn).not.toLeakMemory(options),
    globalsExpect(fn).not.toLeakMemory(options),
    globalsExpect(fn).not.toLeakMemory(4 * 1024 * 1024),
  ];
  for (const r of results) expect(r).toBeInstanceOf(Promise);
  await Promise.all(results);
});

test('wrong argument types are compile errors', () => {
  const fn = (): number => 1;
  const wrong = (): void => {
    // @ts-expect-error: the threshold is bytes, not a string
    void expect(fn).not.toLeakMemory('1MB');
    // @ts-expect-error: unknown metric name
    void globalsExpect(fn).not.toLeakMemory({ metrics: ['cpu'] });
    // @ts-expect-error: no such matcher
    void globalsExpect(fn).not.toLeakMemoryAsync();
  };
  expect(typeof wrong).toBe('function');
});
