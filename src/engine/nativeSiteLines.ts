// The failure-message block for native allocation sites: where retained C/C++ memory was allocated, or why unknown.
import { formatBytes } from '../kernel/formatAmount';
import { formatSite } from '../kernel/formatSite';
import { pad } from '../kernel/pad';
import type { NativeSitesOutcome } from './nativeSites';

/** How the block says what named the frames. */
function symbolizedHow(symbolizer: string): string {
  return symbolizer === 'symbols'
    ? 'names from symbol tables only: no llvm-symbolizer/addr2line, or no -g'
    : `lines by ${symbolizer}`;
}

/** Lines after the JS allocation sites: one per native site ("~24 KiB/iter  allocated in LeakyCache::Insert (cache.cc:42)"). */
export function nativeSiteLines(d: NativeSitesOutcome, color: (text: string) => string = (s) => s): string[] {
  if (d.nativeProfileError !== undefined) return ['', `Native allocation sites unavailable: ${d.nativeProfileError}`];
  const p = d.nativeProfile;
  if (!p) return [];
  const head =
    `Where the retained native memory was allocated (native allocation tracker, ${p.iterations} more iterations, ` +
    `a sample per ~${formatBytes(p.samplingInterval)}; ${symbolizedHow(p.symbolizer)}):`;
  const lines = ['', head];
  if (p.sites.length === 0) {
    lines.push(
      '  no sampled C/C++ allocation stayed alive in both halves of the run (V8, an arena or mmap holds the growth, or it is below the sampling rate)',
    );
  }
  for (const site of p.sites) {
    lines.push(
      `  ${color(pad(`${formatBytes(site.bytesPerIteration, true)}/iter`, 14))} allocated in ${formatSite(site)}`,
    );
    for (const caller of site.callers) lines.push(`  ${' '.repeat(14)}   ← ${caller}`);
  }
  if (p.dropped > 0) lines.push(`  (${p.dropped} samples did not fit the tracker's table: the estimates are low)`);
  return lines;
}
