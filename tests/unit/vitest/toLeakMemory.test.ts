// The Vitest adapter of toLeakMemory, called with a hand-made Vitest 4.1 matcher state (run under Jest's leakproof
// environment, which provides GC): Jest-style names, the record in the task's meta, fallbacks for missing utils.
import { EXPECTED_COLOR, RECEIVED_COLOR, matcherHint, printReceived } from 'jest-matcher-utils';
import { isLeakproofError } from '../../../src/errors';
import type { LeakRecord } from '../../../src/model';
import { RECORDS_GLOBAL } from '../../../src/jest/record';
import { jestStyleName } from '../../../src/vitest/testName';
import { vitestToLeakMemory, type VitestMatcherState } from '../../../src/vitest/toLeakMemory';

// Vitest's utils have no matcherErrorMessage; leave printWithType out too, to exercise both fallbacks.
const utils = { matcherHint, RECEIVED_COLOR, EXPECTED_COLOR, printReceived };
const file = { name: 'file.test.ts', filepath: __filename };

function state(meta: Record<string, unknown>, isNot = true): VitestMatcherState {
  const task = {
    name: 'opens and closes',
    type: 'test',
    meta,
    file,
    suite: { name: 'inner', suite: { name: 'outer', suite: file } },
  };
  return {
    isNot,
    promise: '',
    testPath: __filename,
    currentTestName: 'outer > inner > opens and closes',
    utils,
    task,
    assertion: {},
  };
}

test('jestStyleName joins describe blocks and the test with spaces, leaving out the file', () => {
  expect(
    jestStyleName({
      name: 't',
      suite: { name: 'b', suite: { name: 'a', suite: { name: 'f.ts', filepath: '/f.ts' } } },
    }),
  ).toBe('a b t');
  expect(jestStyleName({ name: 't', suite: { name: 'f.ts', filepath: '/f.ts' } })).toBe('t');
});

test('a clean fn: no leak, and the record goes to the global list and to the test meta under a Jest-style name', async () => {
  const meta: Record<string, unknown> = {};
  const result = await vitestToLeakMemory.call(state(meta), () => JSON.stringify({ a: 1 }), {
    iterations: 20,
    samples: 5,
    horizon: 'fixed',
  });
  expect(result.pass).toBe(false); // no leak; under `.not` the assertion passes
  const records = meta.leakproof as LeakRecord[];
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    testName: 'outer inner opens and closes',
    testPath: __filename,
    negated: true,
    pass: true,
    leak: false,
    iterations: 20,
  });
  expect(records[0].horizon).toBeDefined();
  expect(typeof records[0].line).toBe('number');
  const global = (globalThis as Record<string, unknown>)[RECORDS_GLOBAL] as LeakRecord[];
  expect(global[global.length - 1]).toEqual(records[0]);
  expect(result.message()).toMatch(
    /^expect\(received\)\.not\.toLeakMemory\(threshold\)\n\nExpected: no metric to grow/,
  );
});

test('a received value that is not a function: Jest-shaped matcher error without Jest-only utils', async () => {
  const err = await vitestToLeakMemory.call(state({}), 42).catch((e: Error) => e);
  const text = String((err as Error).message).replace(/\u001b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex
  expect(text).toContain('Matcher error: received value must be a function (the operation to repeat)');
  expect(text).toContain('Received has type:  number\nReceived has value: 42');
});

test('the asymmetric form fails at once with a typed error (it could never be awaited)', () => {
  const asymmetric = { isNot: false, utils } as VitestMatcherState; // no `assertion`: how Vitest calls asymmetric matchers
  let thrown: unknown;
  try {
    void vitestToLeakMemory.call(asymmetric, () => 0);
  } catch (err) {
    thrown = err;
  }
  expect(isLeakproofError(thrown) && thrown.code).toBe('LEAKPROOF_E_OPTIONS');
  expect((thrown as Error).message).toMatch(/cannot be used as an asymmetric matcher/);
});
