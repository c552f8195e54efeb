// The one formatter for amounts every face prints: bytes in binary units, counts with at most two decimals.

/** What a non-finite amount (a metric unreadable here, an empty series) prints as, on every face. */
export const UNKNOWN_AMOUNT = 'n/a';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * `value` in its unit. Rules, the same on every face:
 * - sign: a negative value always carries `-`; with `signed`, a positive value carries `+`; zero never has a sign;
 * - unknown: NaN and ±Infinity print as `n/a` (UNKNOWN_AMOUNT), never `NaN B`;
 * - bytes: binary units B … TiB, three significant digits (`512 B`, `1.50 KiB`, `10.0 MiB`, `300 KiB`);
 * - counts: integers as they are, fractions rounded to at most two decimals (`3`, `0.5`, `1.25`).
 */
export function formatAmount(value: number, unit: 'bytes' | 'count', signed = false): string {
  if (!Number.isFinite(value)) return UNKNOWN_AMOUNT;
  const sign = value < 0 ? '-' : signed && value > 0 ? '+' : '';
  let abs = Math.abs(value);
  if (unit === 'count') return `${sign}${Math.round(abs * 100) / 100}`;
  let u = 0;
  while (abs >= 1024 && u < UNITS.length - 1) {
    abs /= 1024;
    u++;
  }
  const digits = u === 0 ? 0 : abs < 10 ? 2 : abs < 100 ? 1 : 0;
  // 1023.7 B rounds to "1024 B" rather than "1.00 KiB": the unit is picked before rounding, like every byte printer.
  return `${sign}${abs.toFixed(digits)} ${UNITS[u]}`;
}

/** `formatAmount(value, 'bytes', signed)`. */
export function formatBytes(value: number, signed = false): string {
  return formatAmount(value, 'bytes', signed);
}

/** `formatAmount(value, 'count', signed)`. */
export function formatCount(value: number, signed = false): string {
  return formatAmount(value, 'count', signed);
}
