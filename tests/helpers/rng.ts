// Deterministic pseudo-random numbers for synthetic series (so a statistics test never flakes).

/** Mulberry32: a small seeded generator; returns uniform numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates (Box–Muller) from a seeded uniform source. */
export function gaussian(seed: number): () => number {
  const u = seeded(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** x = 0, 10, 20, …: sample positions like the sampler's (iterations after warm-up). */
export function positions(n: number, step = 10): number[] {
  return Array.from({ length: n }, (_, i) => i * step);
}
