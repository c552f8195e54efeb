// A one-line text chart of a series (▁▂▃▄▅▆▇█), for failure messages and terminal tables.

const BARS = '▁▂▃▄▅▆▇█';

/** Scales min→▁ and max→█; a flat series prints as ▁s. Longer series are averaged down to `width` characters. */
export function sparkline(values: ArrayLike<number>, width = 40): string {
  const n = values.length;
  if (n === 0) return '';
  const cols = Math.max(1, Math.min(width, n));
  const binned = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / cols));
    let s = 0;
    for (let i = from; i < to; i++) s += values[i];
    binned[c] = s / (to - from);
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of binned) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  let out = '';
  for (const v of binned) {
    if (!Number.isFinite(v)) out += ' ';
    else if (hi === lo) out += BARS[0];
    else out += BARS[Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))];
  }
  return out;
}
