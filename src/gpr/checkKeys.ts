// Rejects unknown keys in an options or metadata object, so a misspelt option ({ threds: 4 }) is a GprError, not ignored.
import { unknownKeyOf } from '../kernel/validate';
import { GprError } from './GprError';

/** Throws GPR_E_ARGUMENT naming the first key of `o` that is not in `known` (own enumerable keys only). */
export function checkKnownKeys(o: object, known: ReadonlySet<string>, what: string): void {
  const key = unknownKeyOf(o, known);
  if (key !== undefined) {
    throw new GprError(
      'GPR_E_ARGUMENT',
      `${what}: unknown option ${JSON.stringify(key)} (known: ${[...known].join(', ')})`,
    );
  }
}
