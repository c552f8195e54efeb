// `leakproof gpr info|convert` parsed with node:util's parseArgs instead of commander, which costs a CLI run ~6 ms
// and ~6 MiB of peak RSS to load. Anything it does not recognise plainly (help, unknown options, a missing argument)
// is left to the commander program, so messages and exit codes stay commander's.
import { parseArgs } from 'node:util';
import { CONVERT_FLAGS, convertAction, infoAction, type ConvertFlags } from './commands/gpr';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

const CONVERT_SPEC: OptionSpec = Object.fromEntries(
  CONVERT_FLAGS.map(([name, value]) => [name, { type: value ? 'string' : 'boolean' }]),
);
const INFO_SPEC: OptionSpec = { json: { type: 'boolean' } };

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function parse(
  args: string[],
  spec: OptionSpec,
): { positionals: string[]; flags: Record<string, string | boolean> } | undefined {
  if (args.includes('--')) return undefined;
  try {
    const r = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
    const flags: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(r.values)) {
      // commander keeps the last of a repeated option; parseArgs without `multiple` does too.
      if (v !== undefined) flags[camel(k)] = v as string | boolean;
    }
    return { positionals: r.positionals, flags };
  } catch {
    return undefined;
  }
}

/** Runs `gpr <args>` when it is a plain info/convert command line; undefined = let commander handle it. */
export async function runGprFast(args: string[]): Promise<number | undefined> {
  const [sub, ...rest] = args;
  if (rest.some((a) => a === '-h' || a === '--help')) return undefined;
  if (sub === 'info') {
    const p = parse(rest, INFO_SPEC);
    if (!p || p.positionals.length !== 1) return undefined;
    infoAction(p.positionals[0], p.flags as { json?: boolean });
  } else if (sub === 'convert') {
    const p = parse(rest, CONVERT_SPEC);
    if (!p || p.positionals.length === 0) return undefined;
    await convertAction(p.positionals, p.flags as ConvertFlags);
  } else {
    return undefined;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
