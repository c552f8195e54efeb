// Where retained JS memory was allocated: V8's sampling heap profiler over a few more iterations, after a leak verdict.
import * as inspector from 'node:inspector';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import type { AllocationSite } from '../model';
import type { GcHandle } from './gc';
import { callOnce } from './sampler';
import { settleMemory } from './settleMemory';
import { formatSite, type SitePosition } from '../kernel/formatSite';
import { fileOf, isUserFrame, type CallFrame } from './harnessFrames';

export type { AllocationSite } from '../model';

export interface AllocationProfile {
  /** Iterations run under the profiler. */
  iterations: number;
  /** Sites in user code, largest first (at most `top`). */
  sites: AllocationSite[];
  /** Estimated bytes still alive after those iterations and full GC, over all sampled allocations. */
  retainedBytes: number;
}

export interface ProfileOptions {
  /** Mean bytes between samples (V8's Poisson sampling; smaller is more precise and slower). Default 512. */
  samplingInterval?: number;
  /** Sites to return. Default 5. */
  top?: number;
  /** Sites below this share of the attributed bytes are dropped. Default 0.05. */
  minShare?: number;
  /**
   * Calls before sampling starts. Default 5. A function's first calls retain what V8 builds once for it (feedback
   * vector, object-literal boilerplates, inline-cache maps): real retained bytes, but not a leak.
   */
  warmup?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

interface ProfileSample {
  nodeId: number;
  /** Order of the sample among all samples taken since sampling started. */
  ordinal: number;
}

interface SamplingProfile {
  head: ProfileNode;
  samples?: ProfileSample[];
}

/**
 * Allocated halfway through the profiled iterations and kept until the profile is taken. It is large enough (at least
 * 64 sampling intervals) that V8's Poisson sampling records it for certain, so its sample's ordinal splits every other
 * sample into the first and the second half of the run.
 */
function leakproofHalfwayMarker(samplingInterval: number): number[] {
  return new Array<number>(Math.max(1 << 15, Math.ceil((64 * samplingInterval) / 8))).fill(0);
}

function post<T>(session: inspector.Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

/**
 * Reads the source maps scripts carry (ts-jest and bundlers inline them), keyed by file path: the profiler names
 * scripts by path and the debugger by file:// URL, so both are normalised with fileOf.
 */
async function inlineSourceMaps(session: inspector.Session, files: Set<string>): Promise<Map<string, SourceMap>> {
  const raw = new Map<string, string>();
  const onParsed = (m: { params: { url: string; sourceMapURL?: string } }): void => {
    const file = fileOf(m.params.url);
    if (files.has(file) && m.params.sourceMapURL) raw.set(file, m.params.sourceMapURL);
  };
  session.on('Debugger.scriptParsed', onParsed);
  try {
    await post(session, 'Debugger.enable'); // reports every script already loaded
    await post(session, 'Debugger.disable');
  } finally {
    session.off('Debugger.scriptParsed', onParsed);
  }
  const maps = new Map<string, SourceMap>();
  for (const [url, mapUrl] of raw) {
    const m = /^data:application\/json[^,]*;base64,(.*)$/s.exec(mapUrl);
    if (!m) continue; // a map in a separate file: positions stay those of the running code
    try {
      maps.set(url, new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8'))));
    } catch {
      // an unreadable map: keep the running code's positions
    }
  }
  return maps;
}

// How every face names a site or a caller lives in the kernel; re-exported for code that imports it from here.
export { formatSite } from '../kernel/formatSite';

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A frame's position, 1-based, through the script's source map when it has one; the file relative to the cwd. */
function locate(f: CallFrame, maps: Map<string, SourceMap>): SitePosition {
  let file = fileOf(f.url);
  let line = f.lineNumber + 1;
  let column = f.columnNumber + 1;
  const map = maps.get(file);
  if (map) {
    const e = map.findEntry(f.lineNumber, f.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (e.originalSource !== undefined && e.originalLine !== undefined && e.originalColumn !== undefined) {
      file = fileOf(e.originalSource);
      line = e.originalLine + 1;
      column = e.originalColumn + 1;
    }
  }
  return { functionName: f.functionName || '(anonymous)', file: relative(file), line, column };
}

/**
 * Runs `fn` `iterations` more times under V8's sampling heap profiler, settles with full GCs, and attributes the
 * sampled allocations that are still alive to the innermost frame of user code on their stack. Transient allocations
 * die in the GC and drop out of the profile, so what remains is what the iterations retained. A site counts only when it
 * retained samples in both halves of the run: growth per iteration recurs, while a one-off (V8 installing optimised
 * code for fn when it tiers up, a lazily filled cache) lands in one half. Sizes are V8's estimates from Poisson
 * sampling. Throws when the inspector is unavailable; callers treat that as "no sites".
 */
export async function profileAllocationSites(
  fn: () => unknown,
  iterations: number,
  gc: GcHandle,
  options: ProfileOptions = {},
): Promise<AllocationProfile> {
  const samplingInterval = options.samplingInterval ?? 512;
  const top = options.top ?? 5;
  const minShare = options.minShare ?? 0.05;
  const warmup = options.warmup ?? 5;
  for (let i = 0; i < warmup; i++) await callOnce(fn, i, 'warm-up');
  const session = new inspector.Session();
  session.connect();
  try {
    await settleMemory(gc);
    await post(session, 'HeapProfiler.enable');
    await post(session, 'HeapProfiler.startSampling', { samplingInterval });
    let profile: SamplingProfile;
    const kept: unknown[] = [];
    const half = Math.floor(iterations / 2);
    try {
      for (let i = 0; i < iterations; i++) {
        if (i === half && iterations >= 2) kept.push(leakproofHalfwayMarker(samplingInterval));
        await callOnce(fn, i, 'profiled');
      }
      await settleMemory(gc);
    } finally {
      ({ profile } = await post<{ profile: SamplingProfile }>(session, 'HeapProfiler.stopSampling'));
      await post(session, 'HeapProfiler.disable');
      kept.length = 0;
    }

    // Attribute each live sample's bytes to its innermost user frame; keep the next user frames as callers.
    let retainedBytes = 0;
    let markerNode: number | undefined;
    type Entry = { frame: CallFrame; callers: CallFrame[]; bytes: number; early: boolean; late: boolean };
    const byKey = new Map<string, Entry>();
    const entryOfNode = new Map<number, Entry>();
    const stack: CallFrame[] = [];
    const walk = (node: ProfileNode): void => {
      stack.push(node.callFrame);
      if (node.callFrame.functionName === leakproofHalfwayMarker.name && !isUserFrame(node.callFrame)) {
        markerNode = node.id;
      } else if (node.selfSize > 0) {
        retainedBytes += node.selfSize;
        const user = stack.filter(isUserFrame);
        const frame = user[user.length - 1];
        if (frame) {
          const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}:${frame.functionName}`;
          const entry = byKey.get(key) ?? {
            frame,
            callers: user.slice(-4, -1).reverse(),
            bytes: 0,
            early: false,
            late: false,
          };
          entry.bytes += node.selfSize;
          entryOfNode.set(node.id, entry);
          byKey.set(key, entry);
        }
      }
      for (const child of node.children) walk(child);
      stack.pop();
    };
    walk(profile.head);

    // Which halves of the run each site's live samples came from. Without the marker's sample (a V8 without ordinals),
    // every site counts.
    const samples = profile.samples ?? [];
    const split = samples.find((x) => x.nodeId === markerNode)?.ordinal;
    if (split !== undefined) {
      for (const x of samples) {
        const entry = entryOfNode.get(x.nodeId); // the marker's own node has no entry
        if (entry && x.ordinal < split) entry.early = true;
        else if (entry) entry.late = true;
      }
    }
    const recurring = [...byKey.values()].filter((e) => split === undefined || (e.early && e.late));
    const attributed = recurring.reduce((s, e) => s + e.bytes, 0);
    const chosen = recurring
      .filter((e) => e.bytes >= minShare * attributed)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top);
    const maps =
      chosen.length > 0
        ? await inlineSourceMaps(
            session,
            new Set(chosen.flatMap((e) => [e.frame, ...e.callers].map((f) => fileOf(f.url)))),
          )
        : new Map();
    const sites: AllocationSite[] = chosen.map((e) => ({
      ...locate(e.frame, maps),
      bytes: e.bytes,
      bytesPerIteration: e.bytes / iterations,
      callers: e.callers.map((f) => formatSite(locate(f, maps))),
    }));
    return { iterations, sites, retainedBytes };
  } finally {
    session.disconnect();
  }
}
