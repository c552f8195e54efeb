// MemoryProfiler: snapshots, growth since start, checkForLeaks on real leaks and clean work, and call-order errors.
import { MemoryProfiler, ProfilerError } from '../../../src/profiler';

describe('MemoryProfiler.checkForLeaks', () => {
  test('catches retained objects across snapshots', () => {
    const kept: object[] = [];
    const p = new MemoryProfiler({ name: 'objects' }).start();
    // ~400 KiB per step over 16 snapshots: a Jest worker can release MiBs of an earlier file's garbage in one step,
    // and the Theil–Sen slope survives a one-off drop only while most pairs of readings span more growth than the drop.
    for (let step = 0; step < 16; step++) {
      for (let i = 0; i < 100; i++) kept.push(Array.from({ length: 200 }, (_, j) => ({ j })));
      p.snapshot(`step ${step}`);
    }
    const check = p.checkForLeaks(64 * 1024);
    // The report first, so a failure shows the figures (and every sample).
    expect(`${check.report}\n${JSON.stringify(check.metrics.find((m) => m.metric === 'heap')?.samples)}`).toMatch(
      /^objects: LEAK: .*heap/,
    );
    expect(check.leak).toBe(true);
    expect(check.metrics.find((m) => m.metric === 'heap')?.leak).toBe(true);
    expect(check.report).toMatch(/over 16 snapshots/);
    kept.length = 0;
  });

  test('catches retained Buffers in array-buffer memory', () => {
    const kept: Buffer[] = [];
    const p = new MemoryProfiler().start();
    for (let step = 0; step < 6; step++) {
      kept.push(Buffer.alloc(100 * 1024, 1));
      p.snapshot(`step ${step}`);
    }
    const check = p.checkForLeaks(128 * 1024);
    expect(check.leak).toBe(true);
    expect(check.metrics.find((m) => m.metric === 'arrayBuffers')?.leak).toBe(true);
    kept.length = 0;
  });

  test('passes work that allocates and releases', () => {
    const p = new MemoryProfiler().start();
    for (let step = 0; step < 8; step++) {
      for (let i = 0; i < 50; i++) {
        const b = Buffer.alloc(16 * 1024, i);
        JSON.parse(JSON.stringify({ n: b.length, items: Array.from({ length: 100 }, (_, j) => j) }));
      }
      p.snapshot(`step ${step}`);
    }
    const check = p.checkForLeaks(64 * 1024);
    if (check.leak) console.log(check.report);
    expect(check.leak).toBe(false);
    expect(check.report).toMatch(/no leak over 8 snapshots/);
  });

  test('with only two readings, compares the raw difference to the threshold', () => {
    const hold: Buffer[] = [];
    const p = new MemoryProfiler({ metrics: ['arrayBuffers'] }).start();
    hold.push(Buffer.alloc(512 * 1024));
    p.snapshot('after');
    expect(p.checkForLeaks(256 * 1024).leak).toBe(true);
    expect(p.checkForLeaks(1024 * 1024).leak).toBe(false);
    hold.length = 0;
  });
});

describe('MemoryProfiler readings', () => {
  test('growth() is the change from start to the latest snapshot', () => {
    const hold: Buffer[] = [];
    const p = new MemoryProfiler().start();
    hold.push(Buffer.alloc(1024 * 1024));
    p.snapshot('one MiB');
    const g = p.growth();
    expect(g.arrayBuffers).toBeGreaterThanOrEqual(1024 * 1024);
    expect(g.arrayBuffers).toBeLessThan(1.5 * 1024 * 1024);
    expect(p.snapshots.map((s) => s.label)).toEqual(['start', 'one MiB']);
    hold.length = 0;
  });

  test('stop() takes a final reading and report() lists every label', () => {
    const p = new MemoryProfiler({ name: 'session' }).start();
    p.snapshot('middle');
    const { report, growth } = p.stop();
    expect(p.running).toBe(false);
    expect(p.snapshots.map((s) => s.label)).toEqual(['start', 'middle', 'stop']);
    expect(report).toMatch(/^session: 3 reading\(s\)/);
    expect(report).toMatch(/\n\s+middle\s/);
    expect(report).toMatch(/growth since start: heap /);
    expect(typeof growth.heap).toBe('number');
  });
});

describe('MemoryProfiler errors', () => {
  test('call-order mistakes raise ProfilerError with a stable code', () => {
    const p = new MemoryProfiler();
    expect(() => p.snapshot('x')).toThrow(ProfilerError);
    expect(() => p.snapshot('x')).toThrow(/before start\(\)/);
    expect(() => p.stop()).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_PROFILER_STATE' }));
    p.start();
    expect(() => p.start()).toThrow(/already running/);
    expect(() => p.checkForLeaks()).toThrow(/needs start\(\) and at least one snapshot/);
    p.stop();
    expect(() => p.stop()).toThrow(/twice/);
    expect(() => p.snapshot('late')).toThrow(/after stop\(\)/);
  });

  test.each([
    ['unknown option', () => new MemoryProfiler({ gcc: true } as object)],
    ['bad metric', () => new MemoryProfiler({ metrics: ['heap', 'disk'] } as never)],
    ['gc not boolean', () => new MemoryProfiler({ gc: 'yes' } as never)],
    ['empty label', () => new MemoryProfiler().start().snapshot('')],
    ['negative threshold', () => new MemoryProfiler().start().checkForLeaks(-1)],
  ])('%s → LEAKPROOF_E_OPTIONS', (_name, make) => {
    expect(make).toThrow(expect.objectContaining({ code: 'LEAKPROOF_E_OPTIONS' }));
  });
});
