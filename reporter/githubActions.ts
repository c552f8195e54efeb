// GitHub Actions faces: `::error file=…,line=…::` workflow commands for failing assertions, and the job-summary file.
import * as fs from 'fs';
import * as path from 'path';
import { formatQuantity } from './format';
import type { LeakReport } from './LeakReport';
import { verdictOf } from './summarize';

// Workflow-command escaping, as the Actions runner decodes it: data escapes %, CR, LF; properties also ':' and ','.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command per failing assertion, per file that failed to run and per baseline regression (as a warning).
 * `file` is made relative to `workspace` (GITHUB_WORKSPACE) when the record's absolute path lies inside it.
 */
export function githubAnnotations(report: LeakReport, workspace?: string): string[] {
  const lines: string[] = [];
  const fileFor = (reportPath: string, absolute?: string): string => {
    if (workspace && absolute && path.isAbsolute(absolute)) {
      const rel = path.relative(workspace, absolute);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return reportPath;
  };
  for (const f of report.files) {
    if (f.status === 'crashed') {
      const abs = f.records[0]?.testPath;
      lines.push(
        `::error file=${escapeProperty(fileFor(f.path, abs))},title=${escapeProperty('leakproof: test file failed to run')}::${escapeData((f.failureMessage ?? 'failed to run').split('\n').slice(0, 3).join('\n'))}`,
      );
    }
    for (const r of f.records) {
      if (r.pass) continue;
      const where = `file=${escapeProperty(fileFor(f.path, r.testPath))}${r.line !== undefined ? `,line=${r.line}` : ''}${r.column !== undefined ? `,col=${r.column}` : ''}`;
      let msg: string;
      if (verdictOf(r) === 'error') msg = `${r.testName}: fn threw: ${r.error}`;
      else if (r.negated) {
        const m = r.metrics
          .filter((x) => x.leak)
          .map(
            (x) =>
              `${x.metric} ${formatQuantity(x.growth, x.unit, true)} over ${r.iterations} iterations (threshold ${formatQuantity(x.threshold, x.unit)})`,
          );
        msg = `${r.testName}: memory leak: ${m.join('; ') || 'growth beyond threshold'}`;
      } else msg = `${r.testName}: expected a leak, none found beyond the threshold`;
      lines.push(`::error ${where},title=${escapeProperty('leakproof')}::${escapeData(msg)}`);
    }
  }
  for (const g of report.baseline?.regressions ?? []) {
    const rec = report.files.find((f) => f.path === g.file)?.records.find((r) => r.testName === g.testName);
    const where = `file=${escapeProperty(fileFor(g.file, rec?.testPath))}${rec?.line !== undefined ? `,line=${rec.line}` : ''}`;
    lines.push(
      `::warning ${where},title=${escapeProperty('leakproof: regression vs baseline')}::${escapeData(`${g.testName}: ${g.metric} ${g.figure} ${formatQuantity(g.baseline, g.unit)} -> ${formatQuantity(g.current, g.unit)} (allowed +${formatQuantity(g.allowed, g.unit)})`)}`,
    );
  }
  return lines;
}

/** Appends the Markdown to the job summary file named by GITHUB_STEP_SUMMARY; returns whether it did. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  fs.appendFileSync(file, markdown.endsWith('\n') ? markdown : markdown + '\n');
  return true;
}
