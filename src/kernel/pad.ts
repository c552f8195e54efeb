// Fixed-width text columns for the plain-text faces (failure message, profiler report, terminal table).

/** `text` padded with spaces on the right to `width` characters (code points); longer text is left whole. */
export function pad(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}
