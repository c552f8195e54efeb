// The validation toolkit: how received values are named, what counts as an options object, which key is unknown.
import { describeValue, isOptionsObject, unknownKeyOf } from '../../../src/kernel/validate';

test('describeValue quotes strings, prints scalars and names other kinds', () => {
  expect([
    describeValue('x'),
    describeValue(3),
    describeValue(false),
    describeValue(null),
    describeValue(undefined),
  ]).toEqual(['"x"', '3', 'false', 'null', 'undefined']);
  expect([describeValue([1]), describeValue({}), describeValue(() => 0)]).toEqual([
    'an array',
    'a object',
    'a function',
  ]);
});

test('isOptionsObject: objects only, not null or arrays', () => {
  expect([isOptionsObject({}), isOptionsObject(null), isOptionsObject([]), isOptionsObject('a')]).toEqual([
    true,
    false,
    false,
    false,
  ]);
});

test('unknownKeyOf finds the first unknown own key, with a Set or an array of known keys', () => {
  expect(unknownKeyOf({ threads: 1, threds: 4 }, new Set(['threads']))).toBe('threds');
  expect(unknownKeyOf({ threads: 1 }, ['threads'])).toBeUndefined();
  expect(unknownKeyOf(Object.create({ inherited: 1 }), ['threads'])).toBeUndefined();
});
