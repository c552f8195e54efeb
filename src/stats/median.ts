// Median and median absolute deviation of numeric samples (sorting a copy; inputs are never reordered).

/** Median of `values[0 .. n)`; NaN for an empty input. */
export function median(values: ArrayLike<number>, n: number = values.length): number {
  if (n <= 0) return NaN;
  const sorted = Float64Array.from({ length: n }, (_, i) => values[i]).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Robust standard deviation: 1.4826 × median |v − median(v)| (equals σ for normal data). */
export function robustSigma(values: ArrayLike<number>, n: number = values.length): number {
  if (n <= 1) return 0;
  const m = median(values, n);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(values[i] - m);
  return 1.4826 * median(dev, n);
}
