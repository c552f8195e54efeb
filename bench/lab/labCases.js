// The lab's own cases beside bench/detector's: leak shapes the survival rule must handle (a replaced table, a leak that
// stops, a large cache that evicts) and the smallest real leaks of the targets (one empty object, 32 B).
const LAB_LEAKS = {
  // One empty object kept per call: ~16 B of object plus its array slot (the stretch target).
  'empty object': () => {
    const kept = [];
    return { fn: () => void kept.push({}), cleanup: () => void (kept.length = 0) };
  },
  // A two-field object per call (~32 B with its slot).
  'small object': () => {
    const kept = [];
    let i = 0;
    return { fn: () => void kept.push({ i: i++, k: 1 }), cleanup: () => void (kept.length = 0) };
  },
  // A memo of numbers: the only thing kept is the Map's hash table, one object replaced by a larger one as it grows.
  'numeric Map (table only)': () => {
    const memo = new Map();
    let i = 0;
    return { fn: () => void memo.set(i, i++), cleanup: () => memo.clear() };
  },
  // A listener per call on a shared emitter, capturing nothing: the listener array and closures.
  listener: () => {
    const { EventEmitter } = require('node:events');
    const e = new EventEmitter();
    e.setMaxListeners(0);
    return { fn: () => void e.on('x', () => undefined), cleanup: () => e.removeAllListeners() };
  },
  // 400 B per call for the first 1,000 calls after warm-up (~400 KiB), then nothing: grew past the threshold and stopped.
  'stops after 1,000 calls': () => {
    const kept = [];
    let i = 0;
    return {
      fn: () => {
        if (i++ < 1020) kept.push(new Array(48).fill(i));
      },
      cleanup: () => void (kept.length = 0),
    };
  },
};

const LAB_CLEAN = {
  // A cache of 1,000 small entries (~50 KiB with its table, under the 64 KiB threshold) that evicts the oldest: bounded
  // below the threshold, so it must pass however long it is watched.
  'cache 50 KiB evicting': () => {
    const lru = new Map();
    let i = 0;
    return () => {
      lru.set(i, { i: i++ });
      if (lru.size > 1000) lru.delete(lru.keys().next().value);
    };
  },
};

module.exports = { LAB_LEAKS, LAB_CLEAN };
