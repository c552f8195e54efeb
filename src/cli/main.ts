// The `leakproof` CLI: one commander program; each verb lives in src/cli/commands/<verb>.ts and registers itself.
import { Command, CommanderError } from 'commander';

/** A verb module: adds its command(s) to the program. Actions set `process.exitCode` or throw CliError. */
export type RegisterCommand = (program: Command) => void;

/** An error the CLI prints as one line and turns into an exit code (2 = usage error by convention). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = 2) {
    super(message);
    this.name = 'CliError';
  }
}

const verbs: RegisterCommand[] = [
  // Each verb module is added here: require('./commands/check').register, ...
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./commands/merge').register,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./commands/baseline').register,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./commands/gpr').register,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./commands/check').register,
];

export function buildProgram(): Command {
  const program = new Command('leakproof')
    .description('Memory-leak testing for Node.js and native addons')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of verbs) register(program);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    process.exitCode = undefined;
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
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
