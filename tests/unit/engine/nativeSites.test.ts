// Native allocation sites: the tracker names the C/C++ function and line of a native leak, nothing for churn, and is safe.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test, afterAll } from '@jest/globals';
import {
  nativeTracker,
  profileNativeSites,
  samplingIntervalFor,
  shortFunctionName,
} from '../../../src/engine/nativeSites';
import { detectLeak } from '../../../src/engine/detectLeak';
import { getGc } from '../../../src/engine/gc';
import { formatLeakMessage } from '../../../matchers/formatLeakMessage';
import { renderJunit } from '../../../reporter/junitXml';
import { renderHtml } from '../../../reporter/htmlReport';
import { topAllocationSite } from '../../../reporter/summarize';
import { formatVerdict } from '../../../src/profiler/formatVerdict';
import { formatSite } from '../../../src/kernel/formatSite';
import { nativeSiteLines } from '../../../src/engine/nativeSiteLines';
import { runChecks } from '../../../src/cli/commands/check';
import { runMemoryStressTest } from '../../../src/profiler/runMemoryStressTest';
import type { AllocationSite } from '../../../src/model';
import { leakyFile, metric, sampleReport } from '../../helpers/syntheticRecords';

interface Testing {
  leakSited(bytes: number): void;
  churnNative(bytes: number): void;
  freeLeaked(): void;
  LeakyCache: new () => { insert(bytes: number): void; size(): number };
  startAllocStorm(threads: number): void;
  stopAllocStorm(): number;
}
const dir = process.env.LEAKPROOF_NATIVE_DIR ?? path.join(__dirname, '..', '..', '..', 'native', 'build', 'Release');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testing = require(path.join(dir, 'leakproof_testing.node')) as Testing;
const source = fs.readFileSync(path.join(__dirname, '..', '..', 'native', 'testing_addon.cc'), 'utf8').split('\n');
const lineOf = (marker: string): number => source.findIndex((l) => l.includes(marker)) + 1;
const { tracker, reason } = nativeTracker();
// ASan replaces malloc, so the `native` metric (mallinfo2) sees no growth there: the verdict-driven tests need glibc's heap.
const sanitized = process.env.LEAKPROOF_SANITIZED === '1';
// binutils comes with the C++ toolchain the build needs; a machine without it skips the addr2line case.
// Under the ASan run (tests/asan/run.js preloads the sanitizer runtime into every child, addr2line included) the
// symbolizer child does not answer and the profile falls back to symbol tables, which other tests cover.
const underAsan = /asan/i.test(process.env.LD_PRELOAD ?? '');
const hasAddr2line = !underAsan && spawnSync('addr2line', ['--version']).status === 0;
const plain = { RECEIVED_COLOR: (s: string) => s, EXPECTED_COLOR: (s: string) => s };

afterAll(() => testing.freeLeaked());

describe('native site names', () => {
  test('the parameter list is dropped, templates and operator() kept', () => {
    expect(shortFunctionName('LeakyCache::Insert(unsigned long)')).toBe('LeakyCache::Insert');
    expect(shortFunctionName('Foo<int (*)(int)>::bar(int) const')).toBe('Foo<int (*)(int)>::bar');
    expect(shortFunctionName('X::operator()(int) const')).toBe('X::operator()');
    expect(shortFunctionName('operator()(int)')).toBe('operator()');
    expect(shortFunctionName('plain_c_function')).toBe('plain_c_function');
  });
  test('the sampling interval follows the measured slope: ~64 samples, 1 KiB to 16 KiB', () => {
    expect(samplingIntervalFor(undefined, 100)).toBe(16384);
    expect(samplingIntervalFor(Number.NaN, 100)).toBe(16384);
    expect(samplingIntervalFor(256, 100)).toBe(1024);
    expect(samplingIntervalFor(4096, 100)).toBe(4096);
    expect(samplingIntervalFor(1 << 20, 100)).toBe(16384);
  });
});

describe('native sites in every face that shows sites', () => {
  const site: AllocationSite = {
    kind: 'native',
    functionName: 'LeakyCache::Insert',
    file: 'tests/native/testing_addon.cc',
    line: 75,
    column: 0,
    bytes: 24300 * 60,
    bytesPerIteration: 24300,
    callers: ['LeakyCache::JsInsert (tests/native/testing_addon.cc:81)'],
  };
  test('formatSite: file:line with debug info, library+offset without', () => {
    expect(formatSite(site)).toBe('LeakyCache::Insert (tests/native/testing_addon.cc:75)');
    expect(formatSite({ ...site, file: 'libcache.so+0x1a2b', line: 0 })).toBe(
      'LeakyCache::Insert (libcache.so+0x1a2b)',
    );
  });
  test('message block: sites, none, dropped samples, unavailable', () => {
    const profile = {
      iterations: 60,
      sites: [
        {
          ...site,
          kind: 'native' as const,
          signature: 'LeakyCache::Insert(unsigned long)',
          object: '/x/t.node',
          offset: '0x10',
          symbolizedBy: 'llvm-symbolizer' as const,
        },
      ],
      retainedBytes: 1e6,
      samplingInterval: 16384,
      sampled: 90,
      dropped: 0,
      patched: 30,
      symbolizer: 'llvm-symbolizer' as const,
    };
    const lines = nativeSiteLines({ nativeProfile: profile }).join('\n');
    expect(lines).toContain('60 more iterations, a sample per ~16.0 KiB; lines by llvm-symbolizer');
    expect(lines).toMatch(/\+23\.7 KiB\/iter +allocated in LeakyCache::Insert \(tests\/native\/testing_addon\.cc:75\)/);
    expect(lines).toContain('← LeakyCache::JsInsert (tests/native/testing_addon.cc:81)');
    const none = nativeSiteLines({ nativeProfile: { ...profile, sites: [], dropped: 7, symbolizer: 'symbols' } }).join(
      '\n',
    );
    expect(none).toContain('no sampled C/C++ allocation stayed alive in both halves');
    expect(none).toContain('names from symbol tables only');
    expect(none).toContain("7 samples did not fit the tracker's table");
    expect(nativeSiteLines({ nativeProfileError: 'native allocation sites need Linux with glibc' })).toEqual([
      '',
      'Native allocation sites unavailable: native allocation sites need Linux with glibc',
    ]);
    expect(nativeSiteLines({})).toEqual([]);
  });
  test('record faces: JUnit property, HTML list, worst-offender site, stress-test report', () => {
    const f = leakyFile();
    f.records[0] = { ...f.records[0], allocationSites: [site] };
    expect(renderJunit(sampleReport([f]))).toContain(
      '<property name="allocationSite.0" value="native LeakyCache::Insert (tests/native/testing_addon.cc:75) 24300 B/iteration"/>',
    );
    expect(renderHtml(sampleReport([f]))).toContain(
      '<i>native</i> <code>LeakyCache::Insert (tests/native/testing_addon.cc:75)</code>',
    );
    expect(topAllocationSite(f.records[0])).toBe('LeakyCache::Insert (tests/native/testing_addon.cc:75)');
    const text = formatVerdict({
      title: 't',
      leak: true,
      metrics: [metric('native', 24300, { leak: true })],
      iterations: 60,
      step: 'iteration',
      threshold: 65536,
      allocationSites: [site],
    });
    expect(text).toContain(
      'allocated in LeakyCache::Insert (tests/native/testing_addon.cc:75): ~23.7 KiB of native heap per iteration',
    );
  });
});

describe('native allocation tracker availability', () => {
  test('available on Linux/glibc, otherwise a reason and no crash', () => {
    if (process.platform === 'linux')
      expect({ available: tracker !== undefined, reason }).toEqual({ available: true, reason: undefined });
    else expect(reason).toMatch(/Linux/);
  });
});

(tracker ? describe : describe.skip)('native allocation sites', () => {
  const gc = getGc();

  test('a malloc leak names its function and line', async () => {
    const p = await profileNativeSites(() => testing.leakSited(32 * 1024), 60, gc);
    expect(p.sites.length).toBeGreaterThanOrEqual(1);
    const top = p.sites[0];
    expect(top).toMatchObject({
      kind: 'native',
      functionName: 'KeepForever',
      signature: 'KeepForever(unsigned long)',
      line: lineOf('LEAK_SITE_MALLOC'),
    });
    expect(top.file).toMatch(/testing_addon\.cc$/);
    expect(top.callers[0]).toMatch(/^LeakSited/);
    // Poisson estimate of 32 KiB per call from ~120 samples: far inside a factor of two.
    expect(top.bytesPerIteration).toBeGreaterThan(16 * 1024);
    expect(top.bytesPerIteration).toBeLessThan(64 * 1024);
    expect(p.symbolizer).not.toBe('symbols');
  });

  test('a C++ container held by a JS object names the insert, which valgrind cannot see', async () => {
    const cache = new testing.LeakyCache();
    const p = await profileNativeSites(() => cache.insert(20000), 60, gc);
    expect(p.sites[0]).toMatchObject({ functionName: 'LeakyCache::Insert', line: lineOf('LEAK_SITE_CACHE') });
    expect(cache.size()).toBeGreaterThan(60);
  });

  test('balanced churn names nothing', async () => {
    const p = await profileNativeSites(() => testing.churnNative(1 << 16), 60, gc);
    expect(p.sampled).toBeGreaterThan(0); // the churn was seen, and freed
    expect(p.sites).toEqual([]);
  });

  test('without a debug-info tool: the nearest symbol and library+offset', async () => {
    process.env.LEAKPROOF_SYMBOLIZER = 'none';
    try {
      const p = await profileNativeSites(() => testing.leakSited(32 * 1024), 40, gc);
      expect(p.symbolizer).toBe('symbols');
      // KeepForever is static: only the object's .symtab (read by the ELF reader) knows it, not dladdr.
      expect(p.sites[0]).toMatchObject({
        functionName: expect.stringMatching(/^KeepForever/),
        line: 0,
        symbolizedBy: 'symbols',
      });
      expect(p.sites[0].file).toMatch(/^leakproof_testing\.node\+0x[0-9a-f]+$/);
    } finally {
      delete process.env.LEAKPROOF_SYMBOLIZER;
    }
  });

  (hasAddr2line ? test : test.skip)('addr2line, when it is the tool: the same function and line', async () => {
    process.env.LEAKPROOF_SYMBOLIZER = 'addr2line';
    try {
      const p = await profileNativeSites(() => testing.leakSited(32 * 1024), 40, gc);
      expect(p.symbolizer).toBe('addr2line');
      expect(p.sites[0]).toMatchObject({
        functionName: 'KeepForever',
        line: lineOf('LEAK_SITE_MALLOC'),
        symbolizedBy: 'addr2line',
      });
      expect(p.sites[0].callers[0]).toMatch(/^LeakSited \(tests\/native\/testing_addon\.cc:\d+\)$/);
    } finally {
      delete process.env.LEAKPROOF_SYMBOLIZER;
    }
  });

  test('arm/disarm: a second arm is refused, disarm is idempotent, and unpatched code is not sampled', () => {
    const t = tracker!;
    expect(t.nativeTrackerArm(4096)).toBeGreaterThan(0);
    expect(() => t.nativeTrackerArm(4096)).toThrow(/already armed/);
    t.nativeTrackerDisarm();
    t.nativeTrackerDisarm();
    expect(t.nativeTrackerInfo().armed).toBe(false);
    const before = t.nativeTrackerSnapshot().sampled;
    for (let i = 0; i < 20; i++) testing.leakSited(64 * 1024);
    expect(t.nativeTrackerSnapshot().sampled).toBe(before); // the GOT slots were restored
    expect(Buffer.alloc(1 << 20).length).toBe(1 << 20); // and malloc works
    expect(() => t.nativeTrackerArm(0)).toThrow(/between 1 and 1 GiB/);
    expect(() => t.nativeTrackerArm(Number.NaN)).toThrow(/between 1 and 1 GiB/);
  });

  test('threads allocating through every entry point while the tracker arms and disarms', async () => {
    const t = tracker!;
    testing.startAllocStorm(4);
    try {
      for (let round = 0; round < 30; round++) {
        t.nativeTrackerArm(512 + round * 97);
        await new Promise((r) => setTimeout(r, 5));
        const snap = t.nativeTrackerSnapshot();
        expect(snap.data.length % snap.stride).toBe(0);
        t.nativeTrackerDisarm();
      }
    } finally {
      expect(testing.stopAllocStorm()).toBeGreaterThan(0);
    }
  });

  (sanitized ? test.skip : test)(
    'detectLeak after a native verdict: the failure message names the C++ line',
    async () => {
      const d = await detectLeak(() => testing.leakSited(64 * 1024), {
        iterations: 60,
        warmup: 5,
        metrics: ['native'],
      });
      expect(d.leak).toBe(true);
      expect(d.nativeProfile?.sites[0]?.functionName).toMatch(/^KeepForever/);
      const message = formatLeakMessage({
        detection: d,
        hint: 'expect(fn).not.toLeakMemory()',
        isNot: true,
        utils: plain,
      });
      expect(message).toContain(
        `allocated in KeepForever (tests/native/testing_addon.cc:${lineOf('LEAK_SITE_MALLOC')})`,
      );
      expect(message).toContain('← LeakSited (tests/native/testing_addon.cc:');
    },
  );

  (sanitized ? test.skip : test)(
    'a 256 B/call leak is still named: the interval shrinks with the measured slope',
    async () => {
      // 51 KiB over 200 calls against a 4 KiB threshold: far past the boundary, so the verdict is certain.
      const d = await detectLeak(() => testing.leakSited(256), {
        iterations: 200,
        warmup: 10,
        threshold: 4096,
        horizon: 'fixed',
        metrics: ['native'],
      });
      expect(d.leak).toBe(true);
      expect(d.nativeProfile?.samplingInterval).toBe(1024);
      expect(d.nativeProfile?.sites[0]).toMatchObject({
        functionName: 'KeepForever',
        line: lineOf('LEAK_SITE_MALLOC'),
      });
    },
  );

  (sanitized ? test.skip : test)('leakproof check and runMemoryStressTest carry the native site', async () => {
    const cache = new testing.LeakyCache();
    const [outcome] = await runChecks([{ name: 'cache', fn: () => cache.insert(24 * 1024) }], {
      iterations: 60,
      warmup: 5,
      threshold: 64 * 1024,
    });
    expect(outcome.allocationSites?.[0]).toMatchObject({
      kind: 'native',
      functionName: 'LeakyCache::Insert',
      line: lineOf('LEAK_SITE_CACHE'),
    });
    const stress = await runMemoryStressTest(() => cache.insert(24 * 1024), {
      iterations: 60,
      warmup: 5,
      metrics: ['native'],
    });
    expect(stress.allocationSites?.[0]).toMatchObject({ kind: 'native', functionName: 'LeakyCache::Insert' });
    expect(stress.report).toContain(
      `allocated in LeakyCache::Insert (tests/native/testing_addon.cc:${lineOf('LEAK_SITE_CACHE')})`,
    );
  });

  (sanitized ? test.skip : test)(
    "'auto' skips clean code; true runs anyway and names nothing; bad values are rejected",
    async () => {
      const clean = await detectLeak(() => testing.churnNative(1 << 16), {
        iterations: 30,
        warmup: 5,
        metrics: ['native'],
      });
      expect(clean.leak).toBe(false);
      expect(clean.nativeProfile).toBeUndefined();
      const asked = await detectLeak(() => testing.churnNative(1 << 16), {
        iterations: 30,
        warmup: 5,
        metrics: ['native'],
        nativeSites: true,
      });
      expect(asked.nativeProfile?.sites).toEqual([]);
      await expect(detectLeak(() => undefined, { nativeSites: 'yes' as never })).rejects.toMatchObject({
        code: 'LEAKPROOF_E_OPTIONS',
      });
      // Off: a native leak, and still no tracked re-run.
      const off = await detectLeak(() => testing.leakSited(64 * 1024), {
        iterations: 30,
        warmup: 5,
        metrics: ['native'],
        nativeSites: false,
      });
      expect(off.leak).toBe(true);
      expect(off.nativeProfile).toBeUndefined();
      expect(off.nativeProfileError).toBeUndefined();
    },
  );
});
