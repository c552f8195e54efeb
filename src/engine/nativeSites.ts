// Where retained native (malloc/new) memory was allocated: the in-process allocation tracker over a few more iterations.
import type { AllocationSite } from '../model';
import { LeakproofError } from '../errors';
import { tryLoadNative, nativeUnavailableReason } from '../native';
import type { GcHandle } from './gc';
import { callOnce } from './sampler';
import { settleMemory } from './settleMemory';
import { symbolizeAddresses, type NativeFrame, type Symbolizer } from './symbolizeNative';

/** A C/C++ allocation site: an AllocationSite (so every face shows it) with `kind: 'native'` and where it came from. */
export interface NativeAllocationSite extends AllocationSite {
  kind: 'native';
  /** Loaded object (shared library or addon) holding the site's code. */
  object: string;
  /** Offset of the call in that object, as hex ("0x1a2b"). */
  offset: string;
  /** The full demangled name, parameter list included ("LeakyCache::Insert(unsigned long)"); functionName omits it. */
  signature: string;
  /** How `file`/`line` were found: debug information through a tool, or only the nearest symbol (line is then 0). */
  symbolizedBy: Symbolizer;
}

export interface NativeSiteProfile {
  /** Iterations run under the tracker. */
  iterations: number;
  /** Sites in user code, largest first (at most `top`). */
  sites: NativeAllocationSite[];
  /** Estimated bytes of all sampled allocations still alive after those iterations and full GC. */
  retainedBytes: number;
  /** Mean bytes between samples. */
  samplingInterval: number;
  /** Samples taken, and samples the bounded table could not keep (then estimates are low). */
  sampled: number;
  dropped: number;
  /** GOT slots patched while armed. */
  patched: number;
  /** What named the frames: 'llvm-symbolizer' or 'addr2line' (file:line from debug info), else 'symbols'. */
  symbolizer: Symbolizer;
}

export interface NativeProfileOptions {
  /** Mean bytes between samples (Poisson over bytes). Default 16 KiB (bench/native-sites: overhead and precision). */
  samplingInterval?: number;
  /** Sites to return. Default 5. */
  top?: number;
  /** Sites below this share of the attributed bytes are dropped. Default 0.05. */
  minShare?: number;
  /** Untracked calls first (one-time caches, lazy init). Default 5. */
  warmup?: number;
}

interface TrackerAddon {
  nativeTrackerInfo(): { available: boolean; reason?: string; armed: boolean; maxFrames: number; tableSlots: number };
  nativeTrackerArm(meanIntervalBytes: number): number;
  nativeTrackerDisarm(): void;
  nativeTrackerMark(): number;
  nativeTrackerSnapshot(): {
    stride: number;
    data: Float64Array;
    sampled: number;
    dropped: number;
    live: number;
    patched: number;
    skipped: number;
  };
}

/** LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE: profileNativeSites was called where the tracker cannot run; `reason` says why. */
export class NativeSitesUnavailableError extends LeakproofError {
  readonly reason: string;

  constructor(reason: string) {
    super('LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE', reason);
    this.reason = reason;
  }
}

/** The tracker, or why it cannot run here (then native sites are reported unavailable, never an error). */
export function nativeTracker(): { tracker?: TrackerAddon; reason?: string } {
  const addon = tryLoadNative() as unknown as Partial<TrackerAddon> | undefined;
  if (!addon) return { reason: nativeUnavailableReason() ?? 'the native addon is not loaded' };
  if (typeof addon.nativeTrackerInfo !== 'function')
    return { reason: 'this build of the native addon has no allocation tracker' };
  const info = addon.nativeTrackerInfo();
  if (!info.available) return { reason: info.reason ?? 'the native allocation tracker is unavailable here' };
  return { tracker: addon as TrackerAddon };
}

/**
 * Frames that are never a site: Node, V8 and libuv (the main executable, or libnode when shared), the C and C++ runtimes,
 * the loader and unwinder, sanitizer/valgrind runtimes. The tracker's own frames never reach JS (cut in the hook).
 */
const RUNTIME_OBJECTS =
  /(^|\/)(ld-linux[^/]*|ld64\.so[^/]*|libc\.so[^/]*|libc-[^/]*|libm\.so[^/]*|libstdc\+\+\.so[^/]*|libc\+\+[^/]*|libgcc_s[^/]*|libpthread[^/]*|libdl\.so[^/]*|libasan[^/]*|libubsan[^/]*|libclang_rt[^/]*|vgpreload[^/]*|libnode\.so[^/]*|libv8[^/]*|libuv\.so[^/]*)$/;
/** Inlined code of the C++ standard library and of node-addon-api's wrappers: the site is the user line that used it. */
const LIBRARY_SOURCES =
  /(^\/usr\/include\/|\/include\/c\+\+\/|\/bits\/|node-addon-api\/napi(-inl)?\.h$|\/node_api\.h$)/;

function isRuntimeObject(object: string): boolean {
  return object === process.execPath || RUNTIME_OBJECTS.test(object);
}

function isUserFrame(f: NativeFrame): boolean {
  if (isRuntimeObject(f.object)) return false;
  return !(f.file && LIBRARY_SOURCES.test(f.file));
}

/**
 * "LeakyCache::Insert(unsigned long) const" -> "LeakyCache::Insert": the last top-level parameter list (and qualifiers
 * after it) dropped; template arguments and "operator()" kept. The site's line tells overloads apart.
 */
export function shortFunctionName(name: string): string {
  const m = /\)(?:\s*(?:const|volatile|&&|&|noexcept))*\s*$/.exec(name);
  if (!m) return name;
  let depth = 0;
  for (let i = m.index; i >= 0; i--) {
    const ch = name[i];
    if (ch === ')') depth++;
    else if (ch === '(' && --depth === 0) {
      const head = name.slice(0, i).trimEnd();
      return head === '' || /operator\s*$/.test(head) ? name : head;
    }
  }
  return name;
}

function frameKey(f: NativeFrame): string {
  return f.line > 0 ? `${f.functionName}@${f.file}:${f.line}` : `${f.object}+${f.offset}`;
}

/** "LeakyCache::Insert (testing_addon.cc:75)", or "fn (libfoo.so+0x1a2b)" without debug information. */
export function describeNativeFrame(f: NativeFrame): string {
  const name = shortFunctionName(f.functionName);
  return f.line > 0 ? `${name} (${f.file}:${f.line})` : `${name} (${f.objectName}+${f.offset})`;
}

/**
 * Runs `fn` `iterations` more times with the native allocation tracker armed (GOT patching of the loaded libraries'
 * malloc/calloc/realloc/free/memalign family and operator new/delete, Poisson sampling by bytes, unwinder stacks),
 * settles with full GCs (so native memory owned by garbage JS objects is freed), and attributes the sampled blocks still
 * alive to the innermost user frame of their stacks. As for JS sites, a site counts only when live samples of it came
 * from both halves of the run. Throws NativeSitesUnavailableError when the tracker cannot run here, and the addon's
 * error when it is already armed; callers report either as "no native sites".
 */
export async function profileNativeSites(
  fn: () => unknown,
  iterations: number,
  gc: GcHandle,
  options: NativeProfileOptions = {},
): Promise<NativeSiteProfile> {
  const { tracker, reason } = nativeTracker();
  if (!tracker) throw new NativeSitesUnavailableError(reason ?? 'the native allocation tracker is unavailable here');
  const samplingInterval = options.samplingInterval ?? 16 * 1024;
  const top = options.top ?? 5;
  const minShare = options.minShare ?? 0.05;
  const warmup = options.warmup ?? 5;
  for (let i = 0; i < warmup; i++) await callOnce(fn, i, 'warm-up');
  await settleMemory(gc);
  const half = Math.floor(iterations / 2);
  let mark = 0;
  let snap: ReturnType<TrackerAddon['nativeTrackerSnapshot']>;
  const patched = tracker.nativeTrackerArm(samplingInterval);
  try {
    mark = tracker.nativeTrackerMark();
    for (let i = 0; i < iterations; i++) {
      if (i === half) mark = tracker.nativeTrackerMark();
      await callOnce(fn, i, 'profiled');
    }
    await settleMemory(gc);
    // Taken while armed: frees after disarming are not seen, so a later snapshot would count them as live.
    snap = tracker.nativeTrackerSnapshot();
  } finally {
    tracker.nativeTrackerDisarm();
  }
  return attribute(snap, { iterations, mark, samplingInterval, top, minShare, patched });
}

interface AttributionInput {
  iterations: number;
  mark: number;
  samplingInterval: number;
  top: number;
  minShare: number;
  patched: number;
}

function attribute(snap: ReturnType<TrackerAddon['nativeTrackerSnapshot']>, o: AttributionInput): NativeSiteProfile {
  const { data, stride } = snap;
  const addresses = new Set<number>();
  for (let at = 0; at + stride <= data.length; at += stride) {
    const depth = Math.min(data[at + 3], stride - 4);
    for (let f = 0; f < depth; f++) addresses.add(data[at + 4 + f]);
  }
  const { frames: symbols, symbolizer } = symbolizeAddresses([...addresses], isRuntimeObject);
  type Entry = { frame: NativeFrame; callers: NativeFrame[]; bytes: number; early: boolean; late: boolean };
  const byKey = new Map<string, Entry>();
  let retainedBytes = 0;
  for (let at = 0; at + stride <= data.length; at += stride) {
    const weight = data[at];
    const seq = data[at + 2];
    const depth = Math.min(data[at + 3], stride - 4);
    retainedBytes += weight;
    const user: NativeFrame[] = [];
    for (let f = 0; f < depth && user.length < 4; f++) {
      for (const frame of symbols.get(data[at + 4 + f]) ?? [])
        if (isUserFrame(frame) && user.length < 4) user.push(frame);
    }
    if (user.length === 0) continue;
    const key = frameKey(user[0]);
    const entry = byKey.get(key) ?? { frame: user[0], callers: user.slice(1), bytes: 0, early: false, late: false };
    entry.bytes += weight;
    if (seq < o.mark) entry.early = true;
    else entry.late = true;
    byKey.set(key, entry);
  }
  const recurring = [...byKey.values()].filter((e) => e.early && e.late);
  const attributed = recurring.reduce((s, e) => s + e.bytes, 0);
  const sites: NativeAllocationSite[] = recurring
    .filter((e) => e.bytes >= o.minShare * attributed)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, o.top)
    .map((e) => ({
      kind: 'native',
      functionName: shortFunctionName(e.frame.functionName),
      signature: e.frame.functionName,
      file: e.frame.line > 0 ? e.frame.file : `${e.frame.objectName}+${e.frame.offset}`,
      line: e.frame.line,
      column: 0,
      bytes: e.bytes,
      bytesPerIteration: e.bytes / o.iterations,
      callers: e.callers.map(describeNativeFrame),
      object: e.frame.object,
      offset: e.frame.offset,
      symbolizedBy: e.frame.symbolizedBy,
    }));
  return {
    iterations: o.iterations,
    sites,
    retainedBytes,
    samplingInterval: o.samplingInterval,
    sampled: snap.sampled,
    dropped: snap.dropped,
    patched: o.patched,
    symbolizer,
  };
}

/** Bounds of the sampling interval chosen from the measured growth (bench/native-sites: ≤ 1.3x codec overhead at 4 KiB). */
const MIN_INTERVAL = 1024;
const MAX_INTERVAL = 16 * 1024;

/**
 * A sampling interval that gives a leak of `slope` bytes/iteration about 64 samples over `iterations`: a power of two
 * between 1 KiB and 16 KiB (the default when the slope is unknown or large). A 256 B/iteration leak gets 1 KiB.
 */
export function samplingIntervalFor(slope: number | undefined, iterations: number): number {
  if (slope === undefined || !(slope > 0) || !(iterations > 0)) return MAX_INTERVAL;
  const wanted = (slope * iterations) / 64;
  let interval = MIN_INTERVAL;
  while (interval * 2 <= wanted && interval < MAX_INTERVAL) interval *= 2;
  return interval;
}

/** What detectLeak adds to its result: the native profile, or why there is none. */
export interface NativeSitesOutcome {
  nativeProfile?: NativeSiteProfile;
  nativeProfileError?: string;
}

/**
 * detectLeak's hook, after the verdict: per option `nativeSites` ('auto': only when `native` leaked and allocation sites
 * are not switched off; true: always; false: never), profile `iterations` more calls, sampling finer for a small measured
 * native slope (samplingIntervalFor); a tracker that cannot run here
 * or a profiled call that throws becomes `nativeProfileError`, never a failure of the detection.
 */
export async function nativeSitesAfterVerdict(
  fn: () => unknown,
  opts: { nativeSites: boolean | 'auto'; allocationSites: boolean },
  results: readonly { metric: string; leak: boolean; slope?: number }[],
  iterations: number,
  gc: GcHandle,
): Promise<NativeSitesOutcome> {
  const nativeLeaked = results.some((r) => r.leak && r.metric === 'native');
  const wanted = opts.nativeSites === true || (opts.nativeSites === 'auto' && opts.allocationSites && nativeLeaked);
  if (!wanted) return {};
  try {
    const native = results.find((r) => r.metric === 'native');
    return {
      nativeProfile: await profileNativeSites(fn, iterations, gc, {
        samplingInterval: samplingIntervalFor(native?.slope, iterations),
      }),
    };
  } catch (err) {
    return { nativeProfileError: err instanceof Error ? err.message : String(err) };
  }
}

/** The sites a face lists for a detection: the JS ones, then the native ones (each native site has `kind: 'native'`). */
export function withNativeSites(
  jsSites: readonly AllocationSite[] | undefined,
  d: NativeSitesOutcome,
): AllocationSite[] {
  return [...(jsSites ?? []), ...(d.nativeProfile?.sites ?? [])];
}
