// Whether a value returned by user code is a promise (or any thenable) to await.

/** True for anything with a callable `then`: native promises, other libraries' promises, thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
