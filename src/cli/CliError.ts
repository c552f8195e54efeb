// CliError: an error the CLI prints as one line and turns into an exit code (its own file so verbs need not load commander).

/** An error the CLI prints as one line and turns into an exit code (2 = usage error by convention). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = 2) {
    super(message);
    this.name = 'CliError';
  }
}
