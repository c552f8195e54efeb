// How every face (failure message, reports, CLI, profiler) names an allocation site or a caller.
import type { AllocationSite } from '../model';

/** The position part of an allocation site. */
export type SitePosition = Pick<AllocationSite, 'functionName' | 'file' | 'line' | 'column'>;

/** "name (file:line:column)"; a native site has no column ("name (file:line)") or, without debug info, no line ("name (lib.so+0x1a2b)"). */
export function formatSite(site: SitePosition): string {
  if (!(site.line > 0)) return `${site.functionName} (${site.file})`;
  if (!(site.column > 0)) return `${site.functionName} (${site.file}:${site.line})`;
  return `${site.functionName} (${site.file}:${site.line}:${site.column})`;
}
