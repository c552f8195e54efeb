// JavaScript example: the matcher on plain JS code. The preset registers `toLeakMemory` and makes GC available.
/* global test, expect */
const { LruCache, memoizeForever } = require('../src/cache');

test('the LRU cache keeps at most its capacity', () => {
  const lru = new LruCache(2).set('a', 1).set('b', 2).set('c', 3);
  expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([undefined, 2, 3]);
});

test('a bounded LRU cache does not leak, however many keys pass through it', async () => {
  const lru = new LruCache(100);
  let i = 0;
  await expect(() => {
    lru.set(`key-${i++}`, { payload: 'x'.repeat(256) });
  }).not.toLeakMemory();
}, 60_000); // leak tests repeat the code hundreds of times: give them more than Jest's 5 s default

test('memoizing every distinct argument forever does leak (the positive form of the matcher)', async () => {
  const square = memoizeForever((n) => ({ n, squared: n * n, digits: new Array(256).fill(n % 10) })); // ~2 KiB each
  let i = 0;
  await expect(() => square(i++)).toLeakMemory();
}, 60_000);
