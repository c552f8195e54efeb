// Stand-in for @aidemaster/node-memwatch (which does not compile on Node 20), so leakage's own decision logic can run:
// gc() and a HeapDiff whose size change is heapUsed after a full GC. Real memwatch diffs V8 heap snapshots (which also
// collect first), so this sees the same JS heap, without memwatch's per-constructor details.
const path = require('node:path');
const { getGc } = require(
  path.join(process.env.LEAKPROOF_BENCH_DIST || path.join(__dirname, '..', '..', 'dist'), 'src', 'engine', 'gc'),
);

const handle = getGc();

function gc() {
  handle.gc();
}

class HeapDiff {
  constructor() {
    handle.gc();
    this.before = process.memoryUsage().heapUsed;
  }

  end() {
    handle.gc();
    const after = process.memoryUsage().heapUsed;
    return {
      before: { size_bytes: this.before },
      after: { size_bytes: after },
      change: { size_bytes: after - this.before, details: [] },
    };
  }
}

module.exports = { gc, HeapDiff };
