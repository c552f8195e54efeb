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
  'native churn': { sync: true, make: () => { const a = testingAddon(); return () => a.churnNative(256 * 1024); } },
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
  'string building': { sync: true, make: () => () => Array.from({ length: 200 }, (_, i) => `item-${i}`).join(',').split(',').length },
  'crypto hash': { sync: true, make: () => () => crypto.createHash('sha256').update(Buffer.alloc(16 * 1024, 1)).digest('hex') },
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
};

module.exports = { LEAKS, CLEAN, testingAddonPath };
