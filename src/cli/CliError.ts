// CliError: an error the CLI prints as one line and turns into an exit code (its own file so verbs need not load commander).
import { LeakproofError } from '../errors';

/** The one code of CliError: what the message says is the whole story; the exit code tells scripts what kind. */
export type CliErrorCode = 'LEAKPROOF_E_CLI';

/** A LeakproofError the CLI prints as one line and turns into an exit code (2 = usage error by convention). */
export class CliError extends LeakproofError<CliErrorCode> {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = 2, options?: { cause?: unknown }) {
    super('LEAKPROOF_E_CLI', message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
