// Error-path helpers for the leak suites: an operation that must fail with a GprError is run inside the measured
// function; anything else (no error, a foreign error) throws, which fails the assertion instead of hiding a bug.
import { GprError } from './gpr';

function check(err: unknown, codes: readonly string[], what: string): void {
  if (!(err instanceof GprError)) throw new Error(`${what}: expected a GprError, got ${String(err)}`, { cause: err });
  if (codes.length > 0 && !codes.includes(err.code))
    throw new Error(`${what}: expected ${codes.join('|')}, got ${err.code}: ${err.message}`);
}

/** Runs fn, which must throw a GprError with one of `codes` (any code when empty). */
export function mustThrow(what: string, fn: () => unknown, codes: readonly string[] = []): void {
  try {
    fn();
  } catch (err) {
    check(err, codes, what);
    return;
  }
  throw new Error(`${what}: expected a GprError, but the call succeeded`);
}

/** Awaits fn(), which must reject with a GprError with one of `codes` (any code when empty). */
export async function mustReject(
  what: string,
  fn: () => Promise<unknown>,
  codes: readonly string[] = [],
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    check(err, codes, what);
    return;
  }
  throw new Error(`${what}: expected a GprError rejection, but the call succeeded`);
}
