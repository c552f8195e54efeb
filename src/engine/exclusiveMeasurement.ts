// A public measurement's frame: its turn in the per-process lock, its test's end and deadline, and an aborted run
// turned into a typed error on a settled heap, never a verdict.
import { performance } from 'node:perf_hooks';
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { isLeakproofError } from '../errors';
import type { HorizonInfo } from '../model';
import { getGc } from './gc';
import { watchForeignHandles, type ForeignHandleCount } from './foreignHandles';
import { currentMeasurement, insideCurrentMeasurement, withMeasurement } from './measurementLock';
import { MeasurementAbortedError, type AbortKind } from './measurementAborted';
import { resolveOptions, type DetectOptions } from './options';
import { settle } from './sampler';
import { workerState } from './workerState';
import {
  deadlineMargin,
  isScopeEnd,
  resolveCurrentTest,
  timeLeft,
  trackInScope,
  whenScopeBegins,
  type TestScope,
} from './testScope';

/** What the frame adds to a detection. */
export interface Exclusive {
  /** Milliseconds spent waiting for earlier measurements of this process (0: it started at once). */
  queuedMs: number;
  /** Handles that code outside the measured fn opened while it ran (the test's background work); absent: none. */
  foreignHandles?: ForeignHandleCount[];
}

interface Progress {
  done: number;
  total: number;
}

interface AbortCause {
  kind: AbortKind;
  message: string;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function progressText(p: Progress | undefined): string {
  // Progress is reported after the warm-up and after each batch, so the count is a lower bound.
  return p && p.total > 0
    ? `after at least ${fmt(p.done)} of ${fmt(p.total)} iterations (warm-up included)`
    : 'before its first batch';
}

function causeOf(reason: unknown): AbortCause {
  if (isScopeEnd(reason)) return { kind: reason.kind, message: reason.message };
  if (typeof reason === 'object' && reason !== null && (reason as { kind?: unknown }).kind === 'time-limit') {
    return reason as AbortCause;
  }
  return { kind: 'signal', message: 'its AbortSignal was aborted' };
}

/** The message of a run stopped while measuring. */
function abortedMessage(
  cause: AbortCause,
  at: string,
  scope: TestScope | undefined,
  elapsedInTest: number,
  calibrated: boolean,
): string {
  if (cause.kind === 'time-limit' && scope) {
    const limit = `the test's ${fmt(scope.timeoutMs)} ms timeout`;
    const when =
      elapsedInTest >= scope.timeoutMs
        ? `${limit} had passed`
        : `${limit} would have ended it next (leakproof stops ${fmt(deadlineMargin(scope.timeoutMs))} ms before it, to report this)`;
    const control = calibrated
      ? ' This first assertion of the worker also ran the control run (the harness calibration, paid once), which is not interrupted.'
      : '';
    return (
      `leakproof: the measurement stopped ${at}, ${fmt(elapsedInTest)} ms into its test: ${when}. No verdict was made.${control} ` +
      "Raise the test's timeout (the third argument of test(), or `testTimeout`) or lower `iterations`."
    );
  }
  if (cause.kind === 'signal') return `leakproof: the run was aborted ${at}: ${cause.message}. No verdict was made.`;
  return `leakproof: the measurement was aborted ${at}: ${cause.message}. No verdict was made; fn is no longer called.`;
}

/** The message of a run aborted while it waited for its turn. */
function queuedMessage(cause: AbortCause, queuedMs: number, holder: string | undefined): string {
  if (holder === undefined)
    return `leakproof: the run was aborted before it started: ${cause.message}. No verdict was made.`;
  const other = `the measurement of "${holder}"`;
  return `leakproof: the measurement was aborted before it started: ${cause.message} while it waited ${fmt(queuedMs)} ms for ${other}. No verdict was made.`;
}

function isAbortError(err: unknown): boolean {
  return isLeakproofError(err) && err.code === 'LEAKPROOF_E_ABORTED';
}

/**
 * Runs one public measurement (`run`, given the options to use) exclusively: it waits for earlier measurements of
 * this process, ends when its test ends (the runner's test scope: timeout, failure, completion) or when the caller's
 * signal aborts, and, inside a test with a timeout, stops before that timeout: the time budget (`maxDurationMs`) is
 * lowered to what the test has left, less a margin, and a run still going then is stopped. A stopped run settles the
 * heap before the next measurement may start and rejects with MeasurementAbortedError (LEAKPROOF_E_ABORTED).
 * Bad options are reported at once, without waiting.
 */
export async function measureExclusively<D extends { horizon: HorizonInfo }>(
  label: string,
  options: DetectOptions | undefined,
  run: (options: DetectOptions) => Promise<D>,
): Promise<D & Exclusive> {
  const resolved = resolveOptions(options);
  const found = resolveCurrentTest();
  let scope = found.scope;
  const controller = new AbortController();
  const forward = (from: AbortSignal): (() => void) => {
    const onAbort = (): void => controller.abort(from.reason);
    if (from.aborted) onAbort();
    else from.addEventListener('abort', onAbort, { once: true });
    return () => from.removeEventListener('abort', onAbort);
  };
  const userSignal = resolved.signal;
  const unlinkUser = userSignal ? forward(userSignal) : undefined;
  let unlinkScope = scope ? forward(scope.signal) : undefined;
  /** Set while the body runs: arms the time limit of a scope found only then. */
  let armLate: ((late: TestScope) => void) | undefined;
  // The runner named a test that has not started (a Jest 29 concurrent body): join its scope when it begins.
  const stopWaiting =
    !scope && found.name
      ? whenScopeBegins(found.name, (late) => {
          scope = late;
          unlinkScope = forward(late.signal);
          trackInScope(late, measured);
          armLate?.(late);
        })
      : undefined;
  const enqueued = performance.now();
  const measured = measureInLock();
  if (scope) trackInScope(scope, measured);
  return measured;

  async function measureInLock(): Promise<D & Exclusive> {
    try {
      return await withMeasurement(scope?.name || found.name || label, controller.signal, async (ticket) => {
        const queuedMs = ticket.waitedMs;
        // Whether this run pays the worker's control run (the first measurement does), for the message if it is stopped.
        const calibrating = workerState().calibration === undefined;
        let progress: Progress | undefined;
        const runOptions: DetectOptions = {
          ...(options ?? {}),
          signal: controller.signal,
          onProgress: (done, total) => {
            progress = { done, total };
            resolved.onProgress?.(done, total);
          },
        };
        let timer: ReturnType<typeof realSetTimeout> | undefined;
        let testTimeoutMs: number | undefined;
        const stopAt = (ms: number): void => {
          timer = realSetTimeout(
            () => controller.abort({ kind: 'time-limit', message: "the test's time ran out" }),
            Math.max(0, ms),
          );
          timer.unref?.();
        };
        armLate = (late) => {
          const left = timeLeft(late);
          if (Number.isFinite(left)) stopAt(left);
        };
        if (scope) {
          const left = timeLeft(scope);
          if (left <= 0) {
            const spent = scope.timeoutMs - (scope.deadline - performance.now());
            throw new MeasurementAbortedError(
              'time-limit',
              `leakproof: the measurement did not start: ${fmt(spent)} ms of the test's ${fmt(scope.timeoutMs)} ms timeout were gone ` +
                `(${fmt(queuedMs)} ms of it waiting for other measurements), too little to measure. No verdict was made. ` +
                "Raise the test's timeout or run fewer assertions side by side.",
              queuedMs,
            );
          }
          if (Number.isFinite(left)) {
            if (left < resolved.maxDurationMs) {
              runOptions.maxDurationMs = Math.max(1, Math.floor(left));
              testTimeoutMs = scope.timeoutMs;
            }
            stopAt(left);
          }
        }
        // Handles opened meanwhile by code outside fn are reported (a nested run leaves that to the outer one).
        const watchHandles = !ticket.nested && resolved.metrics.some((m) => m === 'handles' || m === 'fds');
        const stopWatching = watchHandles
          ? watchForeignHandles(insideCurrentMeasurement)
          : (): ForeignHandleCount[] => [];
        let result: D;
        let foreignHandles: ForeignHandleCount[] = [];
        try {
          result = await run(runOptions);
          foreignHandles = stopWatching();
        } catch (err) {
          if (!isAbortError(err) || !controller.signal.aborted) throw err;
          const elapsed = scope ? scope.timeoutMs - (scope.deadline - performance.now()) : 0;
          // fn is no longer called. One settled full GC drops the run's garbage before the lock passes on (the next
          // measurement settles fully again before its baseline); more would eat into the margin before the timeout.
          const gc = resolved.gc ?? getGc();
          if (gc.method !== 'unavailable') await settle(gc);
          const cause = causeOf(controller.signal.reason);
          throw new MeasurementAbortedError(
            cause.kind,
            abortedMessage(cause, progressText(progress), scope, elapsed, calibrating),
            queuedMs,
          );
        } finally {
          armLate = undefined;
          stopWatching();
          if (timer !== undefined) realClearTimeout(timer);
        }
        // The test ended (or the caller aborted) after the last batch, during the allocation profile: the run is its
        // test's no more, so it leaves no verdict. A time limit reached that late leaves the verdict standing.
        if (controller.signal.aborted) {
          const cause = causeOf(controller.signal.reason);
          if (cause.kind !== 'time-limit') {
            throw new MeasurementAbortedError(
              cause.kind,
              abortedMessage(cause, 'after its last batch', scope, 0, calibrating),
              queuedMs,
            );
          }
        }
        const horizon = testTimeoutMs === undefined ? result.horizon : { ...result.horizon, testTimeoutMs };
        return { ...result, horizon, queuedMs, ...(foreignHandles.length > 0 ? { foreignHandles } : {}) };
      });
    } catch (err) {
      if (isAbortError(err) && !(err instanceof MeasurementAbortedError) && controller.signal.aborted) {
        // Aborted while queued: withMeasurement never ran the body.
        const waited = performance.now() - enqueued;
        const cause = causeOf(controller.signal.reason);
        throw new MeasurementAbortedError(cause.kind, queuedMessage(cause, waited, currentMeasurement()), waited);
      }
      throw err;
    } finally {
      stopWaiting?.();
      unlinkUser?.();
      unlinkScope?.();
    }
  }
}
