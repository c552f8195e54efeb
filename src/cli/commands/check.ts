// `leakproof check [--quick] [--iterations N] [--threshold-mb X] [--verbose] [--json] [TARGET]`: the stand-alone
// checker. Without TARGET it runs the bundled GPR checks; with TARGET = module.js#exportName it checks that function.
import type { Command } from 'commander';
import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';
import { createColors } from 'picocolors';
import type { AllocationSite, MetricResult, HorizonInfo, UnmeasuredMetric } from '../../model';
import { detectLeak } from '../../engine/detectLeak';
import { withNativeSites } from '../../engine/nativeSites';
import { unmeasuredWarning } from '../../engine/unmeasured';
import { DEFAULT_ITERATIONS, DEFAULT_THRESHOLD, DEFAULT_WARMUP } from '../../engine/options';
import { isLeakproofError } from '../../errors';
import { formatAmount } from '../../kernel/formatAmount';
import { formatVerdict } from '../../kernel/formatVerdict';
import { headlineMetric } from '../../kernel/headlineMetric';
import { shouldColor } from '../../kernel/shouldColor';
import { bundledChecks, type CheckCase } from '../check/bundledChecks';
import { loadTarget } from '../check/loadTarget';
import { CliError } from '../CliError';

/** Exit codes: 0 no leak, 1 a leak was found, 2 usage error or a check that could not be measured (it threw). */
export const CHECK_EXIT = { clean: 0, leak: 1, usage: 2 } as const;

/** `--quick`: few iterations and a generous threshold, for pre-commit hooks. */
export const QUICK = { iterations: 50, thresholdBytes: 0.5 * 1024 * 1024 } as const;
const MIB = 1024 * 1024;

interface CheckFlags {
  quick?: boolean;
  iterations?: string;
  thresholdMb?: string;
  verbose?: boolean;
  json?: boolean;
}

export interface CheckSettings {
  iterations: number;
  warmup: number;
  threshold: number;
}

/** One check's outcome; the `--json` output holds these. */
export interface CheckOutcome {
  name: string;
  leak: boolean;
  /** Set when the function threw: no verdict. */
  error?: string;
  durationMs: number;
  metrics: Omit<MetricResult, 'samples' | 'sampleIterations'>[];
  /** Full per-metric results (samples included) for the verbose text report; not in the JSON. */
  full: MetricResult[];
  /** For a JS-memory leak: where the retained objects were allocated (sampling heap profiler), largest first; then native (C/C++) sites after a native leak (`kind: 'native'`). */
  allocationSites?: AllocationSite[];
  /** Measured iterations and how the sequential verdict reached them (absent when the function threw). */
  iterations?: number;
  horizon?: HorizonInfo;
  /** Metrics this process could not read, why and how to fix (absent: none). */
  unmeasured?: UnmeasuredMetric[];
}

/** Every metric some check could not read, one entry per metric. */
function unmeasuredOfChecks(outcomes: CheckOutcome[]): UnmeasuredMetric[] {
  const seen = new Map<string, UnmeasuredMetric>();
  for (const o of outcomes) for (const u of o.unmeasured ?? []) if (!seen.has(u.metric)) seen.set(u.metric, u);
  return [...seen.values()];
}

/** Turns the flags into settings; nonsense is a usage error (exit 2). */
export function resolveSettings(flags: CheckFlags): CheckSettings {
  let iterations: number = flags.quick ? QUICK.iterations : DEFAULT_ITERATIONS;
  let threshold: number = flags.quick ? QUICK.thresholdBytes : DEFAULT_THRESHOLD;
  if (flags.iterations !== undefined) {
    const n = Number(flags.iterations);
    if (!Number.isInteger(n) || n < 5 || n > 10_000_000)
      throw new CliError(`--iterations must be an integer from 5 to 10000000, got ${JSON.stringify(flags.iterations)}`);
    iterations = n;
  }
  if (flags.thresholdMb !== undefined) {
    const x = Number(flags.thresholdMb);
    if (flags.thresholdMb.trim() === '' || !Number.isFinite(x) || x < 0)
      throw new CliError(`--threshold-mb must be a number ≥ 0, got ${JSON.stringify(flags.thresholdMb)}`);
    threshold = Math.round(x * MIB);
  }
  const warmup = Math.min(DEFAULT_WARMUP, Math.max(5, Math.floor(iterations / 5)));
  return { iterations, warmup, threshold };
}

function stripSeries(m: MetricResult): CheckOutcome['metrics'][number] {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { samples, sampleIterations, ...rest } = m;
  return rest;
}

/** Runs each case through the leak engine, one after another, reporting overall progress. */
export async function runChecks(
  cases: CheckCase[],
  settings: CheckSettings,
  onProgress?: (done: number, total: number, name: string) => void,
): Promise<CheckOutcome[]> {
  const perCase = settings.warmup + settings.iterations;
  const total = perCase * cases.length;
  const out: CheckOutcome[] = [];
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const started = performance.now();
    try {
      await c.setup?.();
      const d = await detectLeak(c.fn, {
        iterations: settings.iterations,
        warmup: settings.warmup,
        threshold: settings.threshold,
        onProgress: (done) => onProgress?.(i * perCase + done, total, c.name),
      });
      const error = d.error === undefined ? undefined : (d.error as Error).message;
      const sites = withNativeSites(d.allocationProfile?.sites, d);
      out.push({
        name: c.name,
        leak: d.leak,
        error,
        durationMs: performance.now() - started,
        metrics: d.metrics.map(stripSeries),
        full: d.metrics,
        ...(sites && sites.length > 0 ? { allocationSites: sites } : {}),
        iterations: d.iterations,
        horizon: d.horizon,
        ...(d.unmeasured.length > 0 ? { unmeasured: d.unmeasured } : {}),
      });
    } catch (err) {
      // Engine errors other than "fn threw" (no GC, bad options) are not about this check: stop with them.
      if (isLeakproofError(err) && err.code !== 'LEAKPROOF_E_FN_THREW')
        throw new CliError(`${err.message} [${err.code}]`, 2, { cause: err });
      out.push({
        name: c.name,
        leak: false,
        error: (err as Error).message,
        durationMs: performance.now() - started,
        metrics: [],
        full: [],
      });
    } finally {
      c.teardown?.();
    }
    onProgress?.((i + 1) * perCase, total, c.name);
  }
  return out;
}

export function exitCodeOf(outcomes: CheckOutcome[]): number {
  if (outcomes.some((o) => o.error !== undefined)) return CHECK_EXIT.usage;
  return outcomes.some((o) => o.leak) ? CHECK_EXIT.leak : CHECK_EXIT.clean;
}

/** The `--json` document (schema `leakproof-check` version 1, documented in docs/cli.md). */
export function checkJson(
  outcomes: CheckOutcome[],
  settings: CheckSettings,
  target: string | null,
  durationMs: number,
): object {
  return {
    schema: 'leakproof-check',
    schemaVersion: 1,
    target,
    leak: outcomes.some((o) => o.leak),
    exitCode: exitCodeOf(outcomes),
    iterations: settings.iterations,
    warmup: settings.warmup,
    threshold: settings.threshold,
    durationMs: Math.round(durationMs),
    ...(unmeasuredOfChecks(outcomes).length > 0 ? { unmeasured: unmeasuredOfChecks(outcomes) } : {}),
    checks: outcomes.map((o) => ({
      name: o.name,
      leak: o.leak,
      ...(o.error !== undefined ? { error: o.error } : {}),
      durationMs: Math.round(o.durationMs),
      metrics: o.metrics,
      ...(o.allocationSites ? { allocationSites: o.allocationSites } : {}),
    })),
  };
}

/** The human report: one table row per check, then details of leaks (or of every check with --verbose). */
export function checkText(outcomes: CheckOutcome[], settings: CheckSettings, color: boolean, verbose: boolean): string {
  const c = createColors(color);
  const table = new Table({
    head: ['check', 'verdict', 'metric', 'slope / iter [95%]', 'growth', 'threshold', 'time'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const o of outcomes) {
    const m = headlineMetric(o.full);
    const verdict = o.error !== undefined ? c.red('ERROR') : o.leak ? c.red(c.bold('LEAK')) : c.green('ok');
    table.push([
      o.name,
      verdict,
      m ? m.metric : '',
      m
        ? `${formatAmount(m.slope, m.unit, true)} [${formatAmount(m.slopeLow, m.unit, true)}, ${formatAmount(m.slopeHigh, m.unit, true)}]`
        : '',
      m ? formatAmount(m.growth, m.unit, true) : '',
      m ? formatAmount(m.threshold, m.unit, false) : '',
      `${(o.durationMs / 1000).toFixed(1)} s`,
    ]);
  }
  const lines = [table.toString()];
  for (const o of outcomes) {
    if (o.error !== undefined) lines.push(c.red(`${o.name}: threw, no verdict: ${o.error}`));
    else if (o.leak || verbose) {
      lines.push(
        formatVerdict({
          title: o.name,
          leak: o.leak,
          metrics: o.full,
          iterations: o.iterations ?? settings.iterations,
          step: 'iteration',
          threshold: settings.threshold,
          durationMs: o.durationMs,
          allocationSites: o.allocationSites,
          horizon: o.horizon,
        }),
      );
    }
  }
  const leaks = outcomes.filter((o) => o.leak).length;
  const errors = outcomes.filter((o) => o.error !== undefined).length;
  const summary =
    `${outcomes.length} check(s), ${leaks} leak(s)${errors ? `, ${errors} error(s)` : ''} ` +
    `(${settings.iterations} iterations after ${settings.warmup} warm-up, threshold ${formatAmount(settings.threshold, 'bytes', false)})`;
  lines.push(leaks || errors ? c.red(summary) : c.green(summary));
  const missing = unmeasuredWarning(unmeasuredOfChecks(outcomes));
  if (missing) lines.push(c.yellow(missing));
  return lines.join('\n') + '\n';
}

async function runCheck(target: string | undefined, flags: CheckFlags): Promise<void> {
  const settings = resolveSettings(flags);
  const cases = target === undefined ? bundledChecks() : [await loadTarget(target)];
  const started = performance.now();
  const showBar = !flags.json && Boolean(process.stderr.isTTY);
  const bar = showBar
    ? new SingleBar({
        format: 'leakproof check [{bar}] {percentage}% | {name}',
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: true,
      })
    : undefined;
  bar?.start(cases.length * (settings.warmup + settings.iterations), 0, { name: cases[0]?.name ?? '' });
  let outcomes: CheckOutcome[];
  try {
    outcomes = await runChecks(cases, settings, (done, _total, name) => bar?.update(done, { name }));
  } finally {
    bar?.stop();
  }
  if (flags.json) {
    process.stdout.write(
      JSON.stringify(checkJson(outcomes, settings, target ?? null, performance.now() - started), null, 2) + '\n',
    );
  } else {
    process.stdout.write(checkText(outcomes, settings, shouldColor(process.stdout), flags.verbose === true));
  }
  process.exitCode = exitCodeOf(outcomes);
}

export function register(program: Command): void {
  program
    .command('check')
    .description(
      'check for memory leaks: the bundled GPR codec checks, or TARGET = module.js#exportName (a function to repeat)',
    )
    .argument(
      '[target]',
      'module.js#exportName: a sync or async function to run repeatedly (default export when #name is left out)',
    )
    .option('--quick', `fast screening: ${QUICK.iterations} iterations, threshold 0.5 MB`)
    .option('--iterations <n>', `measured iterations per check (default ${DEFAULT_ITERATIONS})`)
    .option('--threshold-mb <x>', 'tolerated growth over the measured iterations, in MiB (default 0.0625 = 64 KiB)')
    .option('--verbose', 'every metric of every check, with its series')
    .option('--json', 'print a JSON document (schema leakproof-check v1) instead of the table')
    .action((target: string | undefined, flags: CheckFlags) => runCheck(target, flags));
}
