// The `leakproof` CLI: one commander program; each verb lives in src/cli/commands/<verb>.ts and registers itself.
// commander is loaded only when a command line needs it (`leakproof gpr info|convert` parse without it).
import type { Command } from 'commander';
import { CliError } from './CliError';

export { CliError };

/** A verb module: adds its command(s) to the program. Actions set `process.exitCode` or throw CliError. */
export type RegisterCommand = (program: Command) => void;

// Each verb module, by the command name it registers, in help order. Modules load only when needed: a command line
// naming a verb loads that verb's module alone (`leakproof gpr ...` never loads the engine, reporter or Jest parts).
const verbs: [name: string, load: () => RegisterCommand][] = [
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['merge', () => require('./commands/merge').register],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['baseline', () => require('./commands/baseline').register],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['gpr', () => require('./commands/gpr').register],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['check', () => require('./commands/check').register],
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ['build-native', () => require('./commands/buildNative').register],
];

/** The program with every verb, or with only `verb` when it is one of them (help and unknown verbs get all). */
export function buildProgram(verb?: string): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Command } = require('commander') as typeof import('commander');
  const program = new Command('leakproof')
    .description('Memory-leak testing for Node.js and native addons')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const only = verbs.find(([name]) => name === verb);
  for (const [, load] of only ? [only] : verbs) load()(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    process.exitCode = undefined;
    // `gpr info|convert` with ordinary flags run without commander (src/cli/gprFast.ts); help, unknown options and
    // other verbs go through the commander program, which prints its usual messages.
    const fast =
      argv[2] === 'gpr'
        ? // eslint-disable-next-line @typescript-eslint/no-require-imports
          await (require('./gprFast') as typeof import('./gprFast')).runGprFast(argv.slice(3))
        : undefined;
    if (fast !== undefined) return fast;
    await buildProgram(argv[2]).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { CommanderError } = require('commander') as typeof import('commander');
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`leakproof: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
