// Two ways to cache results: a bounded LRU (memory stays flat) and a naive memoizer (grows with every new key).

/** A least-recently-used cache holding at most `capacity` entries. */
class LruCache {
  constructor(capacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.capacity = capacity;
    this.map = new Map();
  }

  get(key) {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key);
    this.map.delete(key); // re-insert: Map keeps insertion order, so the first key is the least recently used
    this.map.set(key, value);
    return value;
  }

  set(key, value) {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value);
    return this;
  }
}

/** Memoizes a one-argument function forever: every distinct argument stays in memory. */
function memoizeForever(fn) {
  const seen = new Map();
  return (arg) => {
    if (!seen.has(arg)) seen.set(arg, fn(arg));
    return seen.get(arg);
  };
}

module.exports = { LruCache, memoizeForever };
