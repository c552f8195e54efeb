// `leakproof baseline save|update [file]`: stores each assertion's growth and peak from a report, for later comparison.
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import {
  baselineFromReport,
  readBaselineFile,
  readReportFile,
  updateBaseline,
  writeBaselineFile,
  type LeakReport,
} from '../../../reporter/api';
import { CliError } from '../CliError';
import { toCliError } from './merge';

export const DEFAULT_BASELINE_FILE = 'leak-baseline.json';
export const DEFAULT_REPORT_FILE = path.join('leak-report', 'leak-report.json');

function loadReport(file: string): LeakReport {
  const report = readReportFile(path.resolve(file));
  if (report.shard) {
    throw new CliError(
      `${file} covers shard ${report.shard.index}/${report.shard.count} only; run \`leakproof merge\` first and save from the merged leak-report.json`,
    );
  }
  return report;
}

export function register(program: Command): void {
  const cmd = program
    .command('baseline')
    .description('save or update the memory baseline that the reporter compares runs with');
  cmd
    .command('save')
    .description('write a new baseline from a report (replaces the file)')
    .argument('[file]', 'baseline file to write', DEFAULT_BASELINE_FILE)
    .option('--report <file>', 'leak report to read', DEFAULT_REPORT_FILE)
    .action((file: string, flags: { report: string }) => {
      try {
        const report = loadReport(flags.report);
        const baseline = baselineFromReport(report);
        const out = writeBaselineFile(file, baseline);
        process.stdout.write(`saved ${Object.keys(baseline.entries).length} assertion(s) to ${out}\n`);
      } catch (err) {
        throw toCliError(err);
      }
    });
  cmd
    .command('update')
    .description(
      "replace the baseline's entries with the report's (entries the report did not run are kept unless --prune)",
    )
    .argument('[file]', 'baseline file to update', DEFAULT_BASELINE_FILE)
    .option('--report <file>', 'leak report to read', DEFAULT_REPORT_FILE)
    .option('--prune', 'drop baseline entries the report did not run')
    .action((file: string, flags: { report: string; prune?: boolean }) => {
      try {
        if (!fs.existsSync(path.resolve(file)))
          throw new CliError(`baseline ${file} does not exist; create it with \`leakproof baseline save ${file}\``);
        const previous = readBaselineFile(path.resolve(file));
        const report = loadReport(flags.report);
        const next = updateBaseline(previous, report, Boolean(flags.prune));
        const out = writeBaselineFile(file, next);
        const before = Object.keys(previous.entries).length;
        process.stdout.write(`updated ${out}: ${Object.keys(next.entries).length} assertion(s) (was ${before})\n`);
      } catch (err) {
        throw toCliError(err);
      }
    });
}
