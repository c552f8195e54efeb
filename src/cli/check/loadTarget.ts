// Resolves `leakproof check module.js#exportName` to the user's function.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from '../CliError';
import type { CheckCase } from './bundledChecks';

/** Splits `file#export` (export defaults to `default`, then the module itself when it is a function). */
export function parseTarget(target: string): { file: string; exportName?: string } {
  const hash = target.lastIndexOf('#');
  const file = hash >= 0 ? target.slice(0, hash) : target;
  const exportName = hash >= 0 ? target.slice(hash + 1) : undefined;
  if (file === '') throw new CliError(`TARGET must be module.js#exportName, got ${JSON.stringify(target)}`);
  if (exportName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new CliError(`TARGET export name ${JSON.stringify(exportName)} is not an identifier`);
  }
  return { file, exportName };
}

// tsc turns `import()` into require() under CommonJS output; a Function keeps the real dynamic import for ES modules.
const dynamicImport = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

function importEsm(abs: string): Promise<Record<string, unknown>> {
  return dynamicImport(pathToFileURL(abs).href);
}

/** Loads the module (CommonJS via require, ES modules via import()) and returns the named function as a check. */
export async function loadTarget(target: string, cwd = process.cwd()): Promise<CheckCase> {
  const { file, exportName } = parseTarget(target);
  const abs = path.resolve(cwd, file);
  if (!fs.existsSync(abs)) throw new CliError(`TARGET module ${abs} does not exist`);
  let mod: Record<string, unknown>;
  try {
    if (abs.endsWith('.mjs')) {
      mod = await importEsm(abs);
    } else {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require(abs) as Record<string, unknown>;
      } catch (err) {
        // A .js file in a "type": "module" package.
        if ((err as { code?: unknown }).code !== 'ERR_REQUIRE_ESM') throw err;
        mod = await importEsm(abs);
      }
    }
  } catch (err) {
    throw new CliError(`cannot load TARGET module ${abs}: ${(err as Error).message}`, 2, { cause: err });
  }
  let fn: unknown;
  if (exportName !== undefined) fn = mod[exportName];
  else fn = typeof mod === 'function' ? mod : mod.default;
  if (typeof fn !== 'function') {
    const available = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    const wanted = exportName ?? 'default';
    throw new CliError(
      `TARGET ${file}: export "${wanted}" is ${fn === undefined ? 'missing' : `a ${typeof fn}`}, not a function` +
        (available.length > 0 ? ` (functions exported: ${available.join(', ')})` : ''),
    );
  }
  return { name: `${file}#${exportName ?? 'default'}`, fn: fn as () => unknown };
}
