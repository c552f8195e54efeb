// Survival counts: which of the JS allocations fn made in each batch of calls are still alive, from V8's sampling heap profiler.
import * as inspector from 'node:inspector';
import type { SurvivalReading } from '../model';
import { disableAllocationFolding } from './allocationFolding';
import { isFnCallerFrame, isInternalFrame, isOwnHarnessFrame, isRunnerFrame, type CallFrame } from './harnessFrames';

/*
 * Why this measures what a leak is, where heapUsed does not.
 *
 * V8's sampling heap profiler picks allocations as a Poisson process over allocated bytes: the next sample point lies
 * an exponentially distributed number of bytes (mean: the sampling interval I) after the last, and the object that
 * covers it is sampled. Each sample carries a time-ordered ordinal and the JS stack that allocated it, and it is
 * dropped when the GC frees its object. So the samples still present after a full GC are a random thinning of the live
 * objects allocated since sampling started, independent of how V8 accounts pages: an object of s bytes is present with
 * probability 1 − exp(−s/I), and s / (1 − exp(−s/I)) per present sample is an unbiased estimate of the bytes it stands
 * for (Horvitz–Thompson; the inspector reports each sample's size already scaled so). Counts of small objects are Poisson: the variance is known, not estimated from a noisy series.
 *
 * Windows. After each batch of calls (the sampler's row), the newest ordinal among live samples is recorded. Objects
 * do not come back to life, so a sample alive at a later look with an ordinal above the boundary of row r − 1 and at or
 * below that of row r was allocated in batch r: every sample alive at the boundary has an ordinal at or below it, and
 * every later sample one above it. This holds whatever died in between; no marker objects are needed.
 *
 * Attribution (sampleOwners(), below). A sample counts for fn when it was allocated by fn, what fn calls, and callbacks it
 * scheduled (an async continuation's stack starts at fn's frame), or by the harness function that called fn (optimised
 * code inlines fn there, and the profiler records physical frames). The harness's allocations between batches (this
 * reader, the settle, the metric reads, the statistics at a look) and the test runner's own work during a run are
 * counted apart, as are samples with no script frame at all (V8 or Node internals with no JS caller).
 */

/** Mean bytes between samples when the caller does not choose (see SurvivalSampler.start). */
export const DEFAULT_SURVIVAL_INTERVAL = 1024;

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children: ProfileNode[];
}

interface ProfileSample {
  size: number;
  nodeId: number;
  ordinal: number;
}

interface SamplingProfile {
  head: ProfileNode;
  samples?: ProfileSample[];
}

type Owner = 'user' | 'harness' | 'internal';

function post<T>(session: inspector.Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T)));
  });
}

/**
 * Who allocated each node's samples, walking each stack from its root with two facts: the owner so far, and whether a
 * harness function that calls fn is on the stack (below it, the code is fn's). A frame of
 * - Node or V8 (no script of its own) changes nothing;
 * - the harness function that calls fn (optimised code inlines fn there) makes the rest fn's;
 * - this package's own harness is the harness's, wherever it runs;
 * - the test runner (Jest, Vitest) is the harness's, unless fn called it (an `expect` inside fn);
 * - any other script is fn's, unless the harness or the runner called it outside fn (the test's own body, the runner's
 *   status line and its dependencies, a progress callback): then it is the harness's.
 * So a sync fn's allocations (below the call loop), its async continuations and the callbacks it scheduled (no harness
 * on the stack) are fn's; the runner's timers firing during a run are not (measured in a Jest worker: Jest's status
 * printing, through its dependency string-length, left samples alive from inside a run).
 */
export function sampleOwners(head: ProfileNode): Map<number, Owner> {
  const out = new Map<number, Owner>();
  const stack: { node: ProfileNode; owner: Owner; underFn: boolean }[] = [
    { node: head, owner: 'internal', underFn: false },
  ];
  while (stack.length > 0) {
    const { node, owner: above, underFn: wasUnderFn } = stack.pop()!;
    const f = node.callFrame;
    let owner: Owner = above;
    let underFn = wasUnderFn;
    if (isInternalFrame(f)) owner = above;
    else if (isFnCallerFrame(f)) {
      owner = 'user';
      underFn = true;
    } else if (isOwnHarnessFrame(f)) owner = 'harness';
    else if (isRunnerFrame(f)) owner = underFn ? 'user' : 'harness';
    else owner = above === 'harness' && !underFn ? 'harness' : 'user';
    out.set(node.id, owner);
    for (const child of node.children) stack.push({ node: child, owner, underFn });
  }
  return out;
}

/**
 * One measured run's survival counts. Start it before the baseline row, call `boundary()` after each row's GC (the
 * baseline included), and `read()` at a look, after a settled GC. Stop it when the run ends.
 */
export class SurvivalSampler {
  /** Newest live ordinal at each boundary (the first: the baseline); -1 when no sample was alive. */
  private readonly bounds: number[] = [];
  /** Calls done (after warm-up) at each boundary. */
  private readonly ends: number[] = [];
  /** The newest boundary's profile, which a read at the same point reuses (each profile costs V8 a full GC). */
  private latest?: SamplingProfile;

  private constructor(
    private readonly session: inspector.Session,
    readonly interval: number,
  ) {}

  /**
   * Starts V8's sampling heap profiler at `interval` mean bytes between samples. Returns why it cannot when the
   * inspector is missing or another sampling session holds the profiler (a debugger, another tool): the verdict then
   * reads the aggregate counters alone.
   */
  static async start(interval: number = DEFAULT_SURVIVAL_INTERVAL): Promise<SurvivalSampler | { unavailable: string }> {
    disableAllocationFolding();
    let session: inspector.Session;
    try {
      session = new inspector.Session();
      session.connect();
    } catch (err) {
      return { unavailable: `no inspector in this process (${err instanceof Error ? err.message : String(err)})` };
    }
    try {
      await post(session, 'HeapProfiler.enable');
      await post(session, 'HeapProfiler.startSampling', { samplingInterval: interval });
    } catch (err) {
      session.disconnect();
      return {
        unavailable: `V8's sampling heap profiler is in use elsewhere (${err instanceof Error ? err.message : String(err)})`,
      };
    }
    return new SurvivalSampler(session, interval);
  }

  private async profile(): Promise<SamplingProfile> {
    const { profile } = await post<{ profile: SamplingProfile }>(this.session, 'HeapProfiler.getSamplingProfile');
    if (!profile.samples) throw new Error('this V8 reports no sample ordinals');
    return profile;
  }

  /**
   * Records where the sampling stands after `done` measured calls: the boundary between the batch just closed and the
   * next. Each costs one profile from the inspector (milliseconds, growing with the samples alive), so the sampler takes
   * one every few rows rather than at each (SampleRun's `survivalEvery`).
   */
  async boundary(done: number): Promise<void> {
    const profile = await this.profile();
    const { samples } = profile;
    this.latest = profile;
    let newest = -1;
    for (const s of samples!) if (s.ordinal > newest) newest = s.ordinal;
    // Ordinals only grow: a boundary below the previous one means every sample of the batch died (none newer is
    // alive), which is the previous boundary as far as survivors can tell.
    const previous = this.bounds.length > 0 ? this.bounds[this.bounds.length - 1] : -1;
    this.bounds.push(Math.max(newest, previous));
    this.ends.push(done);
  }

  /** Boundaries recorded so far (the baseline included). */
  get boundaries(): number {
    return this.bounds.length;
  }

  /**
   * The samples alive now, by the batch that allocated them: batch r (0-based) holds the survivors of the calls between
   * boundary r and boundary r + 1 (`ends[r]` to `ends[r + 1]` calls). Samples from before the baseline, and those of the
   * batch still running after the last boundary, are counted apart.
   */
  async read(): Promise<SurvivalReading> {
    // No call since the last boundary: its profile is what is alive now (V8 collected garbage for it).
    const profile = this.latest ?? (await this.profile());
    this.latest = undefined;
    const owner = sampleOwners(profile.head);
    const batches = this.bounds.length - 1;
    const count = new Array<number>(Math.max(0, batches)).fill(0);
    const bytes = new Array<number>(Math.max(0, batches)).fill(0);
    let harness = 0;
    let internal = 0;
    let before = 0;
    let after = 0;
    for (const s of profile.samples!) {
      const who = owner.get(s.nodeId) ?? 'internal';
      if (who === 'harness') {
        harness++;
        continue;
      }
      if (who === 'internal') {
        internal++;
        continue;
      }
      if (batches < 0 || s.ordinal <= this.bounds[0]) {
        before++;
        continue;
      }
      if (s.ordinal > this.bounds[batches]) {
        after++;
        continue;
      }
      // Binary search: the first boundary at or above the ordinal closes its batch.
      let lo = 1;
      let hi = batches;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.bounds[mid] >= s.ordinal) hi = mid;
        else lo = mid + 1;
      }
      count[lo - 1]++;
      bytes[lo - 1] += s.size; // already the bytes it stands for: V8 scales each sample by 1 / (1 − exp(−size/I))
    }
    return { interval: this.interval, ends: this.ends.slice(), count, bytes, harness, internal, before, after };
  }

  /** Stops the profiler and releases its samples. Safe to call twice. */
  async stop(): Promise<void> {
    try {
      await post(this.session, 'HeapProfiler.stopSampling');
      await post(this.session, 'HeapProfiler.disable');
    } catch {
      // already stopped, or the session is gone
    } finally {
      this.session.disconnect();
    }
  }
}
