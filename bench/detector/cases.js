// The detector benchmark's workloads: leak kinds parameterised by size per iteration, and clean operations.
const { EventEmitter } = require('node:events');
const crypto = require('node:crypto');
const path = require('node:path');
const zlib = require('node:zlib');
const { setImmediate: tick } = require('node:timers');

const repoRoot = path.resolve(__dirname, '..', '..');
// run.js hands workers a private copy of the built addons (LEAKPROOF_NATIVE_DIR, which the engine's loader honours too).
const nativeDir = process.env.LEAKPROOF_NATIVE_DIR || path.join(repoRoot, 'native', 'build', 'Release');
const testingAddonPath = path.join(nativeDir, 'leakproof_testing.node');

let addon;
/** The tests-only addon (leakNative, churnNative, leakFd); built by `npm run build:native` in a clone. */
function testingAddon() {
  if (!addon) addon = require(testingAddonPath);
  return addon;
}

const nextTick = () => new Promise((resolve) => tick(resolve));

/**
 * Leak kinds. `make(size)` returns { fn, cleanup, sync }: fn leaks about `size` units per iteration, cleanup releases
 * everything it kept so the next run in the same process starts clean. `unit` says what size counts: bytes, or for fds
 * the number of iterations between two leaked descriptors (bigger = smaller leak).
 */
const LEAKS = {
  'JS objects': {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      const kept = [];
      // A plain object with one number field costs about 32 B of heap here (object + its slot in the array).
      const count = Math.max(1, Math.round(size / 32));
      return {
        sync: true,
        fn() {
          const batch = new Array(count);
          for (let i = 0; i < count; i++) batch[i] = { i };
          kept.push(batch);
        },
        cleanup() {
          kept.length = 0;
        },
      };
    },
  },
  Buffers: {
    unit: 'bytes',
    metric: 'arrayBuffers',
    make(size) {
      const kept = [];
      return {
        sync: true,
        fn() {
          kept.push(Buffer.alloc(size, 1));
        },
        cleanup() {
          kept.length = 0;
        },
      };
    },
  },
  'native malloc': {
    unit: 'bytes',
    metric: 'native',
    make(size) {
      const a = testingAddon();
      return {
        sync: true,
        fn() {
          a.leakNative(size);
        },
        cleanup() {
          a.freeLeaked();
        },
      };
    },
  },
  'closure in emitter': {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      const emitter = new EventEmitter();
      emitter.setMaxListeners(0);
      const count = Math.max(1, Math.round(size / 8));
      return {
        sync: true,
        fn() {
          // Forgetting to remove a listener that captures per-call data: the classic emitter leak.
          const captured = new Array(count).fill(count);
          emitter.on('data', () => captured.length);
        },
        cleanup() {
          emitter.removeAllListeners();
        },
      };
    },
  },
  async: {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      const cache = new Map();
      const count = Math.max(1, Math.round(size / 8));
      let key = 0;
      return {
        sync: false,
        async fn() {
          await nextTick();
          // An async cache that is filled after an await and never evicted.
          cache.set(key++, new Array(count).fill(key));
        },
        cleanup() {
          cache.clear();
        },
      };
    },
  },
  strings: {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      const kept = [];
      // A flat one-byte string costs its length plus a 16 B header (the array slot adds ~8 B).
      const len = Math.max(1, size - 24);
      let i = 0;
      return {
        sync: true,
        fn() {
          kept.push(`${i++}:`.padEnd(len, 's'));
        },
        cleanup() {
          kept.length = 0;
        },
      };
    },
  },
  'unbounded Map': {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      // A memo that never evicts: one entry per distinct argument (~24 B of table per entry plus the value).
      const memo = new Map();
      const extra = Math.max(0, Math.round((size - 24) / 8));
      let key = 0;
      return {
        sync: true,
        fn() {
          const k = key++;
          if (!memo.has(k)) memo.set(k, extra > 0 ? new Array(extra).fill(k) : k);
          return memo.get(k);
        },
        cleanup() {
          memo.clear();
        },
      };
    },
  },
  intermittent: {
    unit: 'bytes',
    metric: 'heap',
    make(size) {
      // A larger leak every 16th call (a flush path, a retry branch): `size` per call on average.
      const kept = [];
      const count = Math.max(1, Math.round((size * 16) / 32));
      let i = 0;
      return {
        sync: true,
        fn() {
          if (i++ % 16 !== 0) return;
          const batch = new Array(count);
          for (let j = 0; j < count; j++) batch[j] = { j };
          kept.push(batch);
        },
        cleanup() {
          kept.length = 0;
        },
      };
    },
  },
  'unref timers': {
    unit: 'iterations per leaked handle',
    metric: 'handles',
    make(every) {
      // An interval started per call, unref'd so it does not hold the process open, and never cleared.
      const timers = [];
      let i = 0;
      return {
        sync: true,
        fn() {
          if (i++ % every === 0) timers.push(setInterval(() => undefined, 1e9).unref());
        },
        cleanup() {
          for (const t of timers.splice(0)) clearInterval(t);
        },
      };
    },
  },
  'fd leak': {
    unit: 'iterations per leaked fd',
    metric: 'fds',
    make(every) {
      const a = testingAddon();
      const fds = [];
      const fs = require('node:fs');
      let i = 0;
      return {
        sync: true,
        fn() {
          if (i++ % every === 0) fds.push(a.leakFd());
        },
        cleanup() {
          for (const fd of fds.splice(0)) fs.closeSync(fd);
        },
      };
    },
  },
};

/** Clean operations: each allocates and releases, so any verdict of "leak" is a false positive. */
const CLEAN = {
  JSON: { sync: true, make: () => () => JSON.parse(JSON.stringify({ a: [1, 2, 3], b: { c: 'text', d: null } })) },
  'Buffer churn': { sync: true, make: () => () => Buffer.alloc(64 * 1024, 7).toString('base64').length },
  'native churn': {
    sync: true,
    make: () => {
      const a = testingAddon();
      return () => a.churnNative(256 * 1024);
    },
  },
  zlib: { sync: true, make: () => () => zlib.inflateSync(zlib.deflateSync(Buffer.alloc(32 * 1024, 3))).length },
  'Map set/delete': {
    sync: true,
    make: () => {
      const m = new Map();
      let i = 0;
      return () => {
        m.set(i, { i });
        m.delete(i - 1);
        i++;
      };
    },
  },
  'cleared timers': { sync: true, make: () => () => clearTimeout(setTimeout(() => {}, 10_000)) },
  'async fn': {
    sync: false,
    make: () => async () => {
      await nextTick();
      return [1, 2, 3].map(String);
    },
  },
  'emitter on/off': {
    sync: true,
    make: () => {
      const e = new EventEmitter();
      return () => {
        const h = () => 1;
        e.on('x', h);
        e.emit('x');
        e.off('x', h);
      };
    },
  },
  'string building': {
    sync: true,
    make: () => () =>
      Array.from({ length: 200 }, (_, i) => `item-${i}`)
        .join(',')
        .split(',').length,
  },
  'crypto hash': {
    sync: true,
    make: () => () =>
      crypto
        .createHash('sha256')
        .update(Buffer.alloc(16 * 1024, 1))
        .digest('hex'),
  },
  'Promise.all': { sync: false, make: () => () => Promise.all([1, 2, 3].map(async (x) => x * 2)) },
  'class instances': {
    sync: true,
    make: () => {
      class Node {
        constructor(v, next) {
          this.v = v;
          this.next = next;
        }
      }
      return () => {
        let head = null;
        for (let i = 0; i < 500; i++) head = new Node(i, head);
        return head.v;
      };
    },
  },
  // Clean cases built to look like leaks early: they allocate on the first calls and then stop.
  'lazy singleton': {
    sync: true,
    make: () => {
      let table;
      return () => {
        // 256 KiB built on first use, then only read: a step in the first window, flat after.
        if (!table) table = Array.from({ length: 32 * 1024 }, (_, i) => i * 2);
        return table[7];
      };
    },
  },
  'LRU filling over 500 calls': {
    sync: true,
    make: () => {
      const lru = new Map();
      let i = 0;
      return () => {
        // 500 entries of ~200 B: +100 KiB over the first 500 calls (above the 64 KiB threshold), then bounded.
        const key = i++;
        lru.set(key, new Array(20).fill(key));
        if (lru.size > 500) lru.delete(lru.keys().next().value);
      };
    },
  },
  'regex cache': {
    sync: true,
    make: () => {
      const cache = new Map();
      let i = 0;
      return () => {
        // 64 distinct patterns compiled once each, then reused.
        const k = i++ % 64;
        let re = cache.get(k);
        if (!re) cache.set(k, (re = new RegExp(`^item-${k}-(\\d+)$`)));
        return re.test(`item-${k}-42`);
      };
    },
  },
  'Buffer.allocUnsafe pool': { sync: true, make: () => () => Buffer.allocUnsafe(512).fill(1).readUInt8(3) },
  'fs.promises read': {
    sync: false,
    make: () => {
      const fsp = require('node:fs/promises');
      return () => fsp.readFile(__filename);
    },
  },
  'zlib async': {
    sync: false,
    make: () => {
      const { promisify } = require('node:util');
      const gzip = promisify(zlib.gzip);
      const input = Buffer.alloc(16 * 1024, 5);
      return () => gzip(input);
    },
  },
  'crypto async': {
    sync: false,
    make: () => {
      const { promisify } = require('node:util');
      const pbkdf2 = promisify(crypto.pbkdf2);
      return () => pbkdf2('secret', 'salt', 16, 32, 'sha256');
    },
  },
  'awaited timers': { sync: false, make: () => () => new Promise((resolve) => setTimeout(resolve, 0)) },
  'JSON 100 KB': {
    sync: true,
    make: () => {
      const text = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `n${i}`, tags: ['a', 'b'] })));
      return () => JSON.parse(text).length;
    },
  },
  structuredClone: {
    sync: true,
    make: () => {
      const value = { list: Array.from({ length: 200 }, (_, i) => ({ i, s: `v${i}` })), when: new Date(0) };
      return () => structuredClone(value).list.length;
    },
  },
  'WeakMap-held data': {
    sync: true,
    make: () => {
      const side = new WeakMap();
      return () => {
        const key = {};
        side.set(key, new Array(64).fill(1));
        return side.has(key);
      };
    },
  },
  'GPR decode': {
    sync: true,
    make: () => {
      const { gpr } = codecSample();
      const { GprImage } = require(path.join(distRoot(), 'src', 'gpr'));
      return () => {
        const img = GprImage.open(gpr);
        try {
          return img.decodeRaw().data.length;
        } finally {
          img.close();
        }
      };
    },
  },
  'GPR -> DNG convert': {
    sync: false,
    make: () => {
      const { gpr } = codecSample();
      const { convert } = require(path.join(distRoot(), 'src', 'gpr'));
      // convert() is async: awaited, or each call would leave its conversion running behind the next.
      return async () => (await convert(gpr, { to: 'dng' })).length;
    },
  },
  'GPR encode async': {
    sync: false,
    make: () => {
      const { raw } = codecSample();
      const { encodeGprAsync } = require(path.join(distRoot(), 'src', 'gpr'));
      return () => encodeGprAsync(raw);
    },
  },
};

function distRoot() {
  return process.env.LEAKPROOF_BENCH_DIST || path.join(repoRoot, 'dist');
}

let sample;
/** A small synthetic GPR (256 × 192, 12-bit RGGB) made by the codec itself, so the bench needs no vectors. */
function codecSample() {
  if (sample) return sample;
  const { encodeGpr } = require(path.join(distRoot(), 'src', 'gpr'));
  const width = 256;
  const height = 192;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = (x * 13 + y * 7 + ((x ^ y) & 31)) & 4095;
  const raw = { data, width, height, bitDepth: 12 };
  sample = { raw, gpr: encodeGpr(raw) };
  return sample;
}

module.exports = { LEAKS, CLEAN, testingAddonPath };
