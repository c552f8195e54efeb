// `leakproof check` end to end: spawns bin/leakproof.js (the compiled CLI) on the bundled GPR checks and on user
// modules (a leaking and a clean function, an ES module, broken targets), checking exit codes, text and --json output.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const bin = path.join(repoRoot, 'bin', 'leakproof.js');
const fixtures = path.join(__dirname, 'fixtures', 'check');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete e.FORCE_COLOR;
  delete e.NODE_OPTIONS;
  return e;
}

/** Runs the CLI without blocking the event loop, so Jest's timeout still works. */
function cli(args: string[], cwd = fixtures): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface CheckJson {
  schema: string;
  schemaVersion: number;
  target: string | null;
  leak: boolean;
  exitCode: number;
  iterations: number;
  warmup: number;
  threshold: number;
  durationMs: number;
  checks: {
    name: string;
    leak: boolean;
    error?: string;
    durationMs: number;
    metrics: {
      metric: string;
      unit: string;
      slope: number;
      slopeLow: number;
      slopeHigh: number;
      growth: number;
      threshold: number;
      classification: string;
      releasedSamples?: number;
      leak: boolean;
    }[];
    allocationSites?: { functionName: string; file: string; line: number; column: number; bytesPerIteration: number }[];
  }[];
}

function parse(run: Run): CheckJson {
  try {
    return JSON.parse(run.stdout) as CheckJson;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

describe('leakproof check TARGET', () => {
  test('a leaking function: exit 1, the heap growth near 64 KiB per call', async () => {
    const run = await cli(['check', '--quick', '--json', 'leaky.js#leak']);
    expect(run.code).toBe(1);
    const j = parse(run);
    expect(j).toMatchObject({
      schema: 'leakproof-check',
      schemaVersion: 1,
      target: 'leaky.js#leak',
      leak: true,
      exitCode: 1,
      iterations: 50,
      threshold: 512 * 1024,
    });
    expect(j.checks).toHaveLength(1);
    const c = j.checks[0];
    expect(c).toMatchObject({ name: 'leaky.js#leak', leak: true });
    // The Buffer's bytes are off the V8 heap: external/arrayBuffers carry them.
    const ext = c.metrics.find((m) => m.metric === 'external');
    expect(ext).toBeDefined();
    expect(ext!.leak).toBe(true);
    expect(ext!.slope).toBeGreaterThan(0.8 * 64 * 1024);
    expect(ext!.slope).toBeLessThan(1.25 * 64 * 1024);
    expect(ext!.growth).toBeCloseTo(ext!.slope * 50, 0);
    // Where: the sampling heap profiler places the retained Buffers in the fixture's `leak` function.
    expect(c.allocationSites?.[0]).toMatchObject({
      functionName: 'leak',
      file: expect.stringMatching(/leaky\.js$/),
      line: 5,
    });
    for (const m of c.metrics) {
      // releasedSamples is present (1 or 2) only when leading samples were set aside.
      // handleTypes is present only on `handles` when some resource type rose over the run.
      const optional = (k: string) =>
        (k === 'releasedSamples' && [1, 2].includes(m.releasedSamples!)) ||
        (k === 'handleTypes' && m.metric === 'handles') ||
        // The clean rule's bounds (memory metrics the run did not call a leak) and the horizon of a decision taken
        // before the run ended are additive too (leakproof 0.2).
        ((k === 'recentSlopeHigh' || k === 'recentSlopeFloor') && m.unit === 'bytes' && !m.leak) ||
        k === 'decidedAt';
      expect(
        Object.keys(m)
          .filter((k) => !optional(k))
          .sort(),
      ).toEqual(
        // decision, rise, recentSlope and recentSlopeLow are additive (leakproof 0.2, the sequential verdict's).
        [
          'classification',
          'decision',
          'growth',
          'growthHigh',
          'growthLow',
          'leak',
          'metric',
          'peak',
          'recentSlope',
          'recentSlopeLow',
          'rise',
          'slope',
          'slopeHigh',
          'slopeLow',
          'threshold',
          'unit',
        ].sort(),
      );
    }
  }, 120_000);

  test('a clean function: exit 0 and a table saying ok', async () => {
    const run = await cli(['check', '--quick', 'leaky.js#clean']);
    expect(run.stderr).not.toMatch(/leakproof check \[/); // no progress bar without a TTY
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/leaky\.js#clean\s*│\s*ok/);
    expect(run.stdout).toMatch(/1 check\(s\), 0 leak\(s\) \(50 iterations after 10 warm-up, threshold 512 KiB\)/);
  }, 120_000);

  test('an async clean function with --iterations and --threshold-mb', async () => {
    const run = await cli(['check', '--iterations', '60', '--threshold-mb', '0.25', '--json', './leaky.js#cleanAsync']);
    expect(run.code).toBe(0);
    const j = parse(run);
    expect(j).toMatchObject({ leak: false, iterations: 60, threshold: 256 * 1024, exitCode: 0 });
    expect(j.checks[0].metrics.every((m) => !m.leak)).toBe(true);
  }, 120_000);

  test('the default export of an ES module, text report naming the leaking metric', async () => {
    const run = await cli(['check', '--quick', '--verbose', path.join(fixtures, 'esm-default.mjs')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/LEAK/);
    expect(run.stdout).toMatch(/esm-default\.mjs#default: LEAK: heap \+/);
  }, 120_000);

  test('a function that throws: exit 2, no verdict', async () => {
    const run = await cli(['check', '--quick', '--json', 'leaky.js#throws']);
    expect(run.code).toBe(2);
    const j = parse(run);
    expect(j.checks[0].error).toMatch(/boom from the user function/);
    expect(j.checks[0].metrics).toEqual([]);
  }, 60_000);

  test.each([
    [['check', 'missing.js#leak'], /does not exist/],
    [['check', 'leaky.js#nothere'], /export "nothere" is missing.*functions exported: leak, clean, cleanAsync, throws/],
    [['check', 'leaky.js#notAFunction'], /a number, not a function/],
    [['check', 'leaky.js#not-an-identifier'], /not an identifier/],
    [['check', '--iterations', 'many', 'leaky.js#clean'], /--iterations must be an integer/],
    [['check', '--iterations', '2', 'leaky.js#clean'], /--iterations must be an integer from 5/],
    [['check', '--threshold-mb', '-1', 'leaky.js#clean'], /--threshold-mb must be a number ≥ 0/],
    [['check', '--no-such-flag'], /unknown option/],
  ])(
    'usage error %j: exit 2 with one clear line',
    async (args, message) => {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    },
    60_000,
  );
});

describe('leakproof check (bundled GPR checks)', () => {
  test('--quick --json: every GPR check runs clean', async () => {
    const run = await cli(['check', '--quick', '--json'], repoRoot);
    const j = parse(run);
    expect(run.code).toBe(0);
    expect(j).toMatchObject({ target: null, leak: false, exitCode: 0, iterations: 50, threshold: 512 * 1024 });
    const names = j.checks.map((c) => c.name);
    for (const op of [
      'open + close',
      'dropped without close',
      'metadata',
      'decodeRaw',
      'decodeRawAsync',
      'decodeRgb',
      'encodeGpr',
      'encodeGprAsync',
      'convert',
      'malformed',
    ]) {
      expect(names.some((n) => n.includes(op))).toBe(true);
    }
    for (const c of j.checks) {
      expect(c.error).toBeUndefined();
      expect(c.metrics.map((m) => m.metric)).toEqual(expect.arrayContaining(['heap', 'external', 'native']));
    }
  }, 300_000);
});

// `script` (util-linux) gives the CLI a pseudo-terminal, so the progress bar path runs as it does for a person.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
(hasScript ? test : test.skip)(
  'on a TTY a progress bar is drawn on stderr',
  async () => {
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} check --quick leaky.js#clean`;
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        cwd: fixtures,
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
    });
    expect(run.code).toBe(0);
    // Through the pty, stderr and stdout arrive together.
    expect(run.stdout).toMatch(/leakproof check \[[=-]+\] \d+% \| leaky\.js#clean/);
    expect(run.stdout).toMatch(/1 check\(s\), 0 leak\(s\)/);
  },
  120_000,
);
