// The colour decision for text written to a stream: one rule for the reporter's table and the CLI.

/** Colour only for a terminal: FORCE_COLOR wins, NO_COLOR and non-TTY streams (CI logs, pipes) get plain text. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
