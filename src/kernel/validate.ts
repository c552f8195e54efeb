// The validation toolkit every boundary uses (engine, profiler, reporter, gpr options): how a received value is named in
// an error message, and which key of an options object nobody knows. Each boundary throws its own typed error with it.

/** A received value as error messages name it: strings quoted, numbers/booleans/null/undefined as is, else its kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined)
    return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** True for a value that can hold options: an object that is neither null nor an array. */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first own enumerable key of `options` that is not in `known`, or undefined when every key is known: a misspelt
 * option (`{ threds: 4 }`) must be an error, never silently run the defaults.
 */
export function unknownKeyOf(options: object, known: ReadonlySet<string> | readonly string[]): string | undefined {
  const has = Array.isArray(known)
    ? (k: string) => known.includes(k)
    : (k: string) => (known as ReadonlySet<string>).has(k);
  return Object.keys(options).find((key) => !has(key));
}
