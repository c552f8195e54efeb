// profileNativeSites where the tracker cannot run: a typed LeakproofError (LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE) whose
// message and `reason` say why, not a plain Error.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isLeakproofError } from '../../../src/errors';

test('without the addon, profileNativeSites rejects with NativeSitesUnavailableError', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakproof-no-addon-'));
  const saved = process.env.LEAKPROOF_NATIVE_DIR;
  process.env.LEAKPROOF_NATIVE_DIR = empty;
  try {
    let mod!: typeof import('../../../src/engine/nativeSites');
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('../../../src/engine/nativeSites') as typeof import('../../../src/engine/nativeSites');
    });
    const gc = { collect: () => undefined } as unknown as Parameters<typeof mod.profileNativeSites>[2];
    const err = await mod
      .profileNativeSites(() => undefined, 4, gc)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(mod.NativeSitesUnavailableError);
    expect(isLeakproofError(err)).toBe(true);
    const e = err as InstanceType<typeof mod.NativeSitesUnavailableError>;
    expect(e.code).toBe('LEAKPROOF_E_NATIVE_SITES_UNAVAILABLE');
    expect(e.reason).toContain('LEAKPROOF_NATIVE_DIR');
    expect(e.message).toBe(e.reason);
  } finally {
    if (saved === undefined) delete process.env.LEAKPROOF_NATIVE_DIR;
    else process.env.LEAKPROOF_NATIVE_DIR = saved;
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
