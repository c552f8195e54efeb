// Human-readable byte and count amounts for failure messages (binary units, sign kept).

export function formatBytes(bytes: number, signed = false): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const sign = bytes < 0 ? '-' : signed ? '+' : '';
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${sign}${Math.round(abs)} B`;
  if (abs < 1024 * 1024) return `${sign}${(abs / 1024).toFixed(abs < 10 * 1024 ? 2 : 1)} KiB`;
  return `${sign}${(abs / (1024 * 1024)).toFixed(2)} MiB`;
}

export function formatAmount(value: number, unit: 'bytes' | 'count', signed = false): string {
  if (unit === 'bytes') return formatBytes(value, signed);
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : signed ? '+' : '';
  const abs = Math.abs(value);
  return `${sign}${abs >= 100 || Number.isInteger(abs) ? Math.round(abs) : abs.toFixed(2)}`;
}
