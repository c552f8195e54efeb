// Exact one-sided confidence bounds on a Poisson mean from one observed count (through the regularized gamma function).

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0 (series below a + 1, continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

/** P(X ≤ k) for X ~ Poisson(mean): Q(k + 1, mean). */
export function poissonCdf(k: number, mean: number): number {
  if (k < 0) return 0;
  return 1 - gammaP(Math.floor(k) + 1, mean);
}

/** Solves increasing f(λ) = target on [lo, hi] by bisection (f continuous; 200 halvings reach double precision). */
function bisect(f: (l: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function searchCeiling(count: number): number {
  return count + 50 + 20 * Math.sqrt(count + 1);
}

/**
 * The exact (Garwood) one-sided lower bound on a Poisson mean after observing `count`: the smallest mean under which a
 * count this large or larger has probability at least `tail`. 0 for a count of 0.
 */
export function poissonLower(count: number, tail: number): number {
  if (count <= 0) return 0;
  // P(X ≥ count; λ) = P(count, λ) rises with λ.
  return bisect((l) => gammaP(count, l), tail, 0, searchCeiling(count));
}

/**
 * The exact (Garwood) one-sided upper bound on a Poisson mean after observing `count`: the largest mean under which a
 * count this small or smaller has probability at least `tail` (−ln(tail) for a count of 0).
 */
export function poissonUpper(count: number, tail: number): number {
  if (count <= 0) return -Math.log(tail);
  // P(X ≤ count; λ) falls with λ, so 1 − it rises.
  return bisect((l) => 1 - poissonCdf(count, l), 1 - tail, 0, searchCeiling(count) * 2);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p), summed exactly in log space (n up to a few hundred thousand: one pass over k + 1
 * terms, or over n − k terms of the upper tail, whichever is shorter).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logPmf = (i: number): number =>
    logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p);
  const sum = (from: number, to: number): number => {
    // Sum of pmf over [from, to], scaled by the largest term for stability.
    let top = -Infinity;
    for (let i = from; i <= to; i++) top = Math.max(top, logPmf(i));
    let s = 0;
    for (let i = from; i <= to; i++) s += Math.exp(logPmf(i) - top);
    return s * Math.exp(top);
  };
  return k + 1 <= n - k ? Math.min(1, sum(0, k)) : Math.max(0, 1 - sum(k + 1, n));
}
