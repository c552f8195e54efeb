// Where retained JS memory was allocated: V8's sampling heap profiler over a few more iterations, after a leak verdict.
import * as inspector from 'node:inspector';
import { SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AllocationSite } from '../jest/record';
import type { GcHandle } from './gc';
import { settleMemory } from './settleMemory';

export type { AllocationSite } from '../jest/record';

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
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

function post<T>(session: inspector.Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

/**
 * The harness's own code (engine, Jest glue, profiler API, CLI, matchers, reporter), compiled or not: never a site, since
 * it only calls fn. The bundled codec (`leakproof/gpr`) is not harness: its frames can be sites like any library's.
 */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
const HARNESS = [path.join('src', 'engine'), path.join('src', 'jest'), path.join('src', 'profiler'), path.join('src', 'cli'), 'matchers', 'reporter'];
const OWN_DIRS = [...HARNESS, ...HARNESS.map((d) => path.join('dist', d))].map((d) => path.join(PACKAGE_ROOT, d) + path.sep);

function fileOf(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  }
  return url;
}

/** A frame of user code: a script with a location that is neither Node's own nor this package's. */
function isUserFrame(f: CallFrame): boolean {
  if (!f.url || f.url.startsWith('node:') || f.url.startsWith('internal/')) return false;
  const file = fileOf(f.url);
  return !OWN_DIRS.some((d) => file.startsWith(d));
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

type SitePosition = Pick<AllocationSite, 'functionName' | 'file' | 'line' | 'column'>;

/** "name (file:line:column)": how every face (message, reports, CLI) names a site or a caller. */
export function formatSite(site: SitePosition): string {
  return `${site.functionName} (${site.file}:${site.line}:${site.column})`;
}

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
    const e = map.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; originalLine?: number; originalColumn?: number };
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
 * die in the GC and drop out of the profile, so what remains is what the iterations retained. Sizes are V8's
 * estimates from Poisson sampling. Throws when the inspector is unavailable; callers treat that as "no sites".
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
  const session = new inspector.Session();
  session.connect();
  try {
    await settleMemory(gc);
    await post(session, 'HeapProfiler.enable');
    await post(session, 'HeapProfiler.startSampling', { samplingInterval });
    let head: ProfileNode;
    try {
      for (let i = 0; i < iterations; i++) {
        const r = fn();
        if (r && typeof (r as PromiseLike<unknown>).then === 'function') await r;
      }
      await settleMemory(gc);
    } finally {
      ({ profile: { head } } = await post<{ profile: { head: ProfileNode } }>(session, 'HeapProfiler.stopSampling'));
      await post(session, 'HeapProfiler.disable');
    }

    // Attribute each live sample's bytes to its innermost user frame; keep the next user frames as callers.
    let retainedBytes = 0;
    const byKey = new Map<string, { frame: CallFrame; callers: CallFrame[]; bytes: number }>();
    const stack: CallFrame[] = [];
    const walk = (node: ProfileNode): void => {
      stack.push(node.callFrame);
      if (node.selfSize > 0) {
        retainedBytes += node.selfSize;
        const user = stack.filter(isUserFrame);
        const frame = user[user.length - 1];
        if (frame) {
          const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}:${frame.functionName}`;
          const entry = byKey.get(key) ?? { frame, callers: user.slice(-4, -1).reverse(), bytes: 0 };
          entry.bytes += node.selfSize;
          byKey.set(key, entry);
        }
      }
      for (const child of node.children) walk(child);
      stack.pop();
    };
    walk(head);

    const attributed = [...byKey.values()].reduce((s, e) => s + e.bytes, 0);
    const chosen = [...byKey.values()]
      .filter((e) => e.bytes >= minShare * attributed)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top);
    const maps = chosen.length > 0 ? await inlineSourceMaps(session, new Set(chosen.flatMap((e) => [e.frame, ...e.callers].map((f) => fileOf(f.url))))) : new Map();
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
