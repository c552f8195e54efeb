// Human-readable amounts for profiler reports: signed bytes in binary units, or plain counts.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `+1.5 MiB`, `-512 B`, `+3` (counts), `n/a` for NaN. Signed, because every amount in a report is a change. */
export function formatAmount(value: number, unit: 'bytes' | 'count', signed = true): string {
  if (!Number.isFinite(value)) return 'n/a';
  const sign = signed ? (value > 0 ? '+' : value < 0 ? '-' : '') : value < 0 ? '-' : '';
  let abs = Math.abs(value);
  if (unit === 'count') return `${sign}${Number.isInteger(abs) ? abs : abs.toFixed(1)}`;
  let u = 0;
  while (abs >= 1024 && u < UNITS.length - 1) {
    abs /= 1024;
    u++;
  }
  const digits = u === 0 ? 0 : abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${sign}${abs.toFixed(digits)} ${UNITS[u]}`;
}
