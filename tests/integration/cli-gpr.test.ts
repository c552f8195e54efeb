// `leakproof gpr info|convert` run as a real process: outputs, one-line errors with codes, documented exit codes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeWithVectors, repoRoot, vectorPath } from '../helpers/vectors';

const bin = path.join(repoRoot, 'bin', 'leakproof.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'gpr', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeWithVectors('leakproof gpr (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'src', 'cli', 'main.js')))
      throw new Error('run `npm run build` first (the CLI runs from dist/)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-cli-gpr-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const fusion = () => vectorPath('camera', 'GPFR7066.GPR');

  test('info prints the camera, size and GPMF of a GPR', () => {
    const r = run('info', fusion());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/camera\s+GoPro FUSION/);
    expect(r.stdout).toMatch(/size\s+3104 x 3000/);
    expect(r.stdout).toMatch(/GPMF\s+1044 bytes/);
  });

  test('info --json is parseable and holds the GPMF as base64', () => {
    const r = run('info', fusion(), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      format: string;
      info: { width: number };
      metadata: { gpmf: string; model: string };
    };
    expect(doc.format).toBe('gpr');
    expect(doc.info.width).toBe(3104);
    expect(Buffer.from(doc.metadata.gpmf, 'base64')).toHaveLength(1044);
  });

  test('convert IN OUT writes, refuses to overwrite (exit 3, one line with the code), replaces with --force', () => {
    const out = path.join(dir, 'fusion.dng');
    expect(run('convert', fusion(), out).code).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(3104 * 3000 * 2);
    const again = run('convert', fusion(), out);
    expect(again.code).toBe(3);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/GPR_E_IO/);
    expect(run('convert', fusion(), out, '--force').code).toBe(0);
    // --durable (fsync of file and folder) writes the same bytes.
    const durable = path.join(dir, 'fusion-durable.dng');
    expect(run('convert', fusion(), durable, '--durable').code).toBe(0);
    expect(fs.readFileSync(durable).equals(fs.readFileSync(out))).toBe(true);
    const info = run('info', out);
    expect(info.stdout).toMatch(/format\s+dng/);
  });

  test('a broken input exits 1 with one line naming the error code, and writes nothing', () => {
    const bad = path.join(dir, 'bad.gpr');
    fs.writeFileSync(bad, fs.readFileSync(fusion()).subarray(0, 5000));
    const out = path.join(dir, 'bad.dng');
    const r = run('convert', bad, out);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/GPR_E_[A-Z]+/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('usage errors exit 2', () => {
    expect(run('convert', 'a.gpr', 'b.gpr', 'c.gpr').code).toBe(2);
    expect(run('convert', fusion(), path.join(dir, 'x.unknown')).code).toBe(2);
    expect(run('convert', fusion(), path.join(dir, 'x.ppm'), '--resolution', '3').code).toBe(2);
    expect(run('convert', fusion(), '--out', dir).code).toBe(2);
  });

  test('batch: FILES --to dng --out DIR converts what it can, prints a summary, exits 1 if any failed', () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'batch-'));
    const junk = path.join(dir, 'junk.gpr');
    fs.writeFileSync(junk, 'not a raw file');
    const r = run(
      'convert',
      fusion(),
      vectorPath('synthetic', 'synth_0064x0048_seed1.fs1.GPR'),
      junk,
      '--to',
      'dng',
      '--out',
      outDir,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/converted 2 of 3 file\(s\) to dng/);
    expect(r.stdout).toMatch(/junk\.gpr: GPR_E_FORMAT/);
    expect(fs.readdirSync(outDir).sort()).toEqual(['GPFR7066.dng', 'synth_0064x0048_seed1.fs1.dng']);
    const ok = run(
      'convert',
      vectorPath('synthetic', 'synth_0064x0048_seed1.fast.GPR'),
      '--to',
      'raw',
      '--out',
      outDir,
    );
    expect(ok.code).toBe(0);
  });

  test('gpr info/convert load only what they need: not commander, the engine, the reporter, jpeg-js or cli-progress', () => {
    const script = `const main = require(${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'cli', 'main.js'))});
      main.main(['node', 'leakproof', 'gpr', process.argv[1], ...process.argv.slice(2)]).then((code) => {
        const loaded = Object.keys(require.cache).filter((k) => /[\\/](commander|jpeg-js|cli-progress)[\\/]|[\\/](engine|reporter|jest|stats)[\\/]/.test(k));
        process.stdout.write(JSON.stringify({ code, loaded }));
      });`;
    const ppm = path.join(dir, 'lazy.ppm');
    for (const args of [
      ['info', fusion()],
      ['convert', fusion(), ppm, '--resolution', '16'],
    ]) {
      const r = spawnSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8' });
      const out = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('{"code"'))) as { code: number; loaded: string[] };
      expect(out).toEqual({ code: 0, loaded: [] });
    }
  });

  test('info --json -> --metadata is lossless: a HERO6 GPR -> RAW -> GPR keeps every metadata field (GPS included)', () => {
    const src = vectorPath('camera', 'GOPR0024.GPR');
    const raw = path.join(dir, 'hero6.raw');
    const meta = path.join(dir, 'hero6.json');
    const gpr = path.join(dir, 'hero6-again.gpr');
    expect(run('convert', src, raw).code).toBe(0);
    const info = run('info', src, '--json');
    expect(info.code).toBe(0);
    fs.writeFileSync(meta, info.stdout);
    const r = run('convert', raw, gpr, '--raw-size', '4000x3000', '--raw-bits', '14', '--metadata', meta);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const before = JSON.parse(info.stdout) as { metadata: Record<string, unknown> };
    const after = JSON.parse(run('info', gpr, '--json').stdout) as { metadata: Record<string, unknown> };
    expect((before.metadata.gpsEntries as unknown[]).length).toBeGreaterThan(0);
    expect(after.metadata).toEqual(before.metadata);
  });

  test('RAW -> GPR with --raw-size and a metadata file from `info --json`; PPM preview equals the reference', () => {
    const meta = path.join(dir, 'fusion.json');
    fs.writeFileSync(meta, run('info', fusion(), '--json').stdout);
    const gpr = path.join(dir, 'synth.gpr');
    const r = run(
      'convert',
      vectorPath('synthetic', 'synth_0640x0480_seed1.input.raw'),
      gpr,
      '--raw-size',
      '640x480',
      '--raw-bits',
      '12',
      '--metadata',
      meta,
    );
    expect(r.code).toBe(0);
    const info = run('info', gpr, '--json');
    const doc = JSON.parse(info.stdout) as { metadata: { model: string; gpmf: string } };
    expect(doc.metadata.model).toBe('FUSION');
    expect(Buffer.from(doc.metadata.gpmf, 'base64')).toHaveLength(1044);
    const ppm = path.join(dir, 'h6.ppm');
    expect(run('convert', vectorPath('camera', 'GOPR0024.GPR'), ppm, '--resolution', '8', '--bits', '16').code).toBe(0);
    expect(fs.readFileSync(ppm).equals(fs.readFileSync(vectorPath('camera', 'GOPR0024.8to1.16bit.ppm')))).toBe(true);
  });
});
