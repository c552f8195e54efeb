// The self-contained HTML report: tables plus one uPlot chart per measured series (samples, fitted slope, threshold), offline.
import * as fs from 'fs';
import type { LeakRecord, MetricResult } from '../src/model';
import { formatSite } from '../src/kernel/formatSite';
import { median as medianOf } from '../src/stats/median';
import { formatQuantity } from './format';
import { growthFigure } from '../src/kernel/growthFigure';
import { formatSlope } from '../src/kernel/formatSlope';
import type { LeakReport } from './LeakReport';
import { ReporterError } from './ReporterError';
import type { RowVerdict } from './summarize';
import { metricsThatMatter, rowVerdict, topAllocationSite, worstOffenders } from './summarize';
import { unmeasuredWarning } from '../src/engine/unmeasured';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that is safe inside a <script> element (no `</script>`, no line separators that break old parsers). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** One chart's data, as embedded in the page. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: 'bytes' | 'count';
  leak: boolean;
  x: number[];
  /** Samples minus the first sample (`base`), so the axis reads as growth. */
  y: number[];
  base: number;
  /** The fitted line: y = intercept + slope × x. */
  slope: number;
  intercept: number;
  /** Threshold line level: the fitted start plus the tolerated growth. */
  thresholdLevel: number;
}

/** Median of the finite values, 0 when there are none (the chart then starts at its first sample). */
function median(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? 0 : medianOf(finite);
}

/**
 * Chart data of one metric. The record carries the slope but not its intercept; the robust choice that matches a
 * Theil–Sen slope is the median of y − slope·x, so the drawn line sits in the middle of the samples.
 */
export function chartSpec(id: string, r: LeakRecord, m: MetricResult): ChartSpec {
  const n = Math.min(m.samples.length, m.sampleIterations.length);
  const x = m.sampleIterations.slice(0, n);
  const base = n > 0 ? m.samples[0] : 0;
  const y = m.samples.slice(0, n).map((v) => v - base);
  const intercept = median(y.map((v, i) => v - m.slope * x[i]));
  const x0 = x.length > 0 ? x[0] : 0;
  return {
    id,
    title: `${m.metric}: ${formatSlope(m)}, growth ${formatQuantity(m.growth, m.unit, true)} / threshold ${formatQuantity(m.threshold, m.unit)}`,
    unit: m.unit,
    leak: m.leak,
    x,
    y,
    base,
    slope: m.slope,
    intercept,
    thresholdLevel: intercept + m.slope * x0 + m.threshold,
  };
}

function readAsset(rel: string): string {
  let file: string;
  try {
    file = require.resolve(`uplot/dist/${rel}`);
  } catch (err) {
    throw new ReporterError(
      'ERR_REPORTER_OPTION',
      `the HTML report needs the uplot package (uplot/dist/${rel}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return fs.readFileSync(file, 'utf8');
}

const BADGES: Record<RowVerdict, string> = {
  error: '<span class="badge bad">error</span>',
  leak: '<span class="badge bad">leak</span>',
  fail: '<span class="badge bad">fail</span>',
  'expected-leak': '<span class="badge warn">leak (expected)</span>',
  undecided:
    '<span class="badge warn" title="not decided when the run stopped: growth not yet shown below smallestLeak, nor past the threshold">ok, undecided</span>',
  ok: '<span class="badge ok">ok</span>',
};

function verdictBadge(r: LeakRecord, m?: MetricResult): string {
  return BADGES[rowVerdict(r, m)];
}

// Browser side: draws every chart from the embedded data. Plain ES2017, no dependencies besides the inlined uPlot.
const CLIENT = `
(function () {
  var data = JSON.parse(document.getElementById('leakproof-data').textContent);
  var units = ['B', 'KiB', 'MiB', 'GiB'];
  function fmt(v, unit) {
    if (v == null || !isFinite(v)) return '';
    if (unit !== 'bytes') return String(Math.round(v * 100) / 100);
    var a = Math.abs(v), u = 0;
    while (a >= 1024 && u < units.length - 1) { a /= 1024; u++; }
    return (v < 0 ? '-' : '') + String(Math.round(a * 100) / 100) + ' ' + units[u];
  }
  // Tick steps on binary boundaries (256 KiB, 1 MiB...) so byte axes read cleanly.
  var binaryIncrs = [];
  [1, 1024, 1048576, 1073741824].forEach(function (k) { [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].forEach(function (m) { binaryIncrs.push(m * k); }); });
  data.charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var fit = c.x.map(function (x) { return c.intercept + c.slope * x; });
    var thr = c.x.map(function () { return c.thresholdLevel; });
    var opts = {
      width: Math.max(280, Math.min(460, el.clientWidth || 420)),
      height: 220,
      legend: { show: true, live: false },
      scales: { x: { time: false } },
      axes: [
        { label: 'iteration' },
        { size: 84, incrs: c.unit === 'bytes' ? binaryIncrs : undefined, values: function (u, vals) { return vals.map(function (v) { return fmt(v, c.unit); }); } }
      ],
      series: [
        { label: 'iteration' },
        { label: 'Δ since first sample', stroke: c.leak ? '#c62828' : '#1565c0', width: 1.5, points: { show: true, size: 4 }, value: function (u, v) { return fmt(v, c.unit); } },
        { label: 'fitted slope', stroke: '#6a1b9a', dash: [6, 4], width: 1.5, points: { show: false }, value: function (u, v) { return fmt(v, c.unit); } },
        { label: 'threshold', stroke: '#ef6c00', width: 1, points: { show: false }, value: function (u, v) { return fmt(v, c.unit); } }
      ]
    };
    new uPlot(opts, [c.x, c.y, fit, thr], el);
    el.setAttribute('data-rendered', 'true');
  });
  document.body.setAttribute('data-charts-rendered', String(data.charts.length));
})();
`;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; margin: 24px; color: #1b1b1b; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.env { color: #666; font-size: 12px; }
.unmeasured { background: #fff4ce; border: 1px solid #e0b400; padding: 6px 10px; margin: 8px 0; }
.summary { font-size: 15px; margin: 10px 0 16px; }
table.t { border-collapse: collapse; background: #fff; margin: 6px 0 12px; }
table.t th, table.t td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
table.t th { background: #f0f0f0; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.ok { background: #2e7d32; } .badge.bad { background: #c62828; } .badge.warn { background: #ef6c00; }
.assertion { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { flex: 0 0 auto; width: 460px; } .chart .ct { font-size: 12px; color: #333; margin-bottom: 2px; }
.sites { margin: 6px 0; font-size: 13px; } .sites ul { margin: 4px 0 0 18px; padding: 0; }
.crash { background: #fff3f3; border: 1px solid #f5c2c2; padding: 8px 10px; white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
`;

export function renderHtml(report: LeakReport): string {
  const s = report.summary;
  const charts: ChartSpec[] = [];
  const body: string[] = [];
  const scope = report.shard
    ? ` (shard ${report.shard.index}/${report.shard.count})`
    : report.mergedFrom
      ? ` (${report.mergedFrom} shards merged)`
      : '';
  body.push(`<h1>leakproof: heap growth${escapeHtml(scope)}</h1>`);
  const e = report.environment;
  body.push(
    `<div class="env">Generated ${escapeHtml(report.generatedAt)} · Node ${escapeHtml(e.node)} · ${e.vitest ? `Vitest ${escapeHtml(e.vitest)}` : `Jest ${escapeHtml(e.jest ?? 'unknown')}`} · ${escapeHtml(e.platform)}/${escapeHtml(e.arch)} · GC: ${escapeHtml(e.gcMethod)} · leakproof ${escapeHtml(e.leakproof)}</div>`,
  );
  const parts = [`${s.assertions} assertions`, `${s.leaks} leaking`, `${s.failed} failed`];
  if (s.errors) parts.push(`${s.errors} threw`);
  if (s.crashedFiles) parts.push(`${s.crashedFiles} test file(s) failed to run`);
  if (report.baseline) parts.push(`${s.regressions} regression(s) vs baseline`);
  const ok = s.failed === 0 && s.crashedFiles === 0;
  body.push(
    `<div class="summary"><span class="badge ${ok ? 'ok' : 'bad'}">${ok ? 'pass' : 'fail'}</span> ${escapeHtml(parts.join(' · '))} in ${s.files} file(s)</div>`,
  );
  const missing = unmeasuredWarning(e.unmeasured ?? []);
  if (missing) body.push(`<div class="unmeasured">${escapeHtml(missing)}</div>`);

  const worst = worstOffenders(report.files, 5).filter((o) => o.metric.leak);
  if (worst.length) {
    body.push('<h2>Worst offenders</h2><ul>');
    for (const o of worst) {
      const where = topAllocationSite(o.record);
      body.push(
        `<li><b>${escapeHtml(o.record.testName)}</b> <code>${escapeHtml(o.file)}${o.record.line ? `:${o.record.line}` : ''}</code>: ${escapeHtml(o.metric.metric)} ${escapeHtml(o.metric.survival?.decision === 'leak' ? growthFigure(o.metric) : formatQuantity(o.metric.growth, o.metric.unit, true))} over ${o.record.iterations} iterations (threshold ${escapeHtml(formatQuantity(o.metric.threshold, o.metric.unit))})` +
          (where ? `, allocated in <code>${escapeHtml(where)}</code>` : '') +
          '</li>',
      );
    }
    body.push('</ul>');
  }
  if (report.baseline?.regressions.length) {
    body.push(
      `<h2>Regressions vs baseline <code>${escapeHtml(report.baseline.file)}</code> (tolerance ${Math.round(report.baseline.tolerance * 100)}%)</h2>`,
    );
    body.push(
      '<table class="t"><tr><th>test</th><th>file</th><th>metric</th><th>figure</th><th>baseline</th><th>current</th><th>allowed rise</th></tr>',
    );
    for (const g of report.baseline.regressions) {
      body.push(
        `<tr><td>${escapeHtml(g.testName)}</td><td><code>${escapeHtml(g.file)}</code></td><td>${escapeHtml(g.metric)}</td><td>${g.figure}</td><td class="num">${escapeHtml(formatQuantity(g.baseline, g.unit))}</td><td class="num">${escapeHtml(formatQuantity(g.current, g.unit))}</td><td class="num">+${escapeHtml(formatQuantity(g.allowed, g.unit))}</td></tr>`,
      );
    }
    body.push('</table>');
  }

  let a = 0;
  for (const f of report.files) {
    if (f.records.length === 0 && f.status !== 'crashed') continue;
    body.push(
      `<h2><code>${escapeHtml(f.path)}</code>${f.status === 'crashed' ? ' <span class="badge bad">failed to run</span>' : ''}</h2>`,
    );
    if (f.status === 'crashed') body.push(`<div class="crash">${escapeHtml(f.failureMessage ?? '')}</div>`);
    if (f.records.length === 0) continue;
    body.push(
      '<table class="t"><tr><th></th><th>test</th><th>metric</th><th>slope / iteration (95% interval)</th><th>growth</th><th>threshold</th><th>iterations</th><th>shape</th></tr>',
    );
    const firstId = a;
    f.records.forEach((r, i) => {
      const id = `a${firstId + i}`;
      const ms = metricsThatMatter(r);
      if (ms.length === 0)
        body.push(
          `<tr><td>${verdictBadge(r)}</td><td><a href="#${id}">${escapeHtml(r.testName)}</a></td><td>–</td><td colspan="5">${escapeHtml(r.error !== undefined ? `threw: ${r.error}` : 'no metrics')}</td></tr>`,
        );
      for (const m of ms) {
        body.push(
          `<tr><td>${verdictBadge(r, m)}</td><td><a href="#${id}">${escapeHtml(r.testName)}</a></td><td>${escapeHtml(m.metric)}</td><td>${escapeHtml(formatSlope(m))}</td><td class="num">${escapeHtml(formatQuantity(m.growth, m.unit, true))}</td><td class="num">${escapeHtml(formatQuantity(m.threshold, m.unit))}</td><td class="num">${r.iterations}</td><td>${escapeHtml(m.classification)}</td></tr>`,
        );
      }
    });
    body.push('</table>');
    for (const r of f.records) {
      const id = `a${a++}`;
      body.push(
        `<div class="assertion" id="${id}"><h3>${verdictBadge(r)} ${escapeHtml(r.testName)} <span class="env">${escapeHtml(f.path)}${r.line ? `:${r.line}` : ''} · ${r.iterations} iterations after ${r.warmup} warm-up · ${Math.round(r.durationMs)} ms</span></h3>`,
      );
      if (r.error !== undefined) body.push(`<div class="crash">fn threw: ${escapeHtml(r.error)}</div>`);
      if (r.allocationSites?.length) {
        body.push(
          '<div class="sites">Retained memory allocated in (bytes per iteration; JS heap from the sampling heap profiler, <i>native</i> from the native allocation tracker):<ul>',
        );
        for (const site of r.allocationSites) {
          const callers = site.callers.length ? ` ← ${escapeHtml(site.callers.join(' ← '))}` : '';
          const native = site.kind === 'native' ? ' <i>native</i>' : '';
          body.push(
            `<li><b>${escapeHtml(formatQuantity(site.bytesPerIteration, 'bytes', true))}</b>${native} <code>${escapeHtml(formatSite(site))}</code>${callers}</li>`,
          );
        }
        body.push('</ul></div>');
      }
      body.push('<div class="charts">');
      r.metrics.forEach((m, j) => {
        const spec = chartSpec(`${id}-m${j}`, r, m);
        charts.push(spec);
        body.push(
          `<div class="chart"><div class="ct">${escapeHtml(spec.title)} · ${escapeHtml(m.classification)} · first sample ${escapeHtml(formatQuantity(spec.base, m.unit))}</div><div id="${spec.id}" class="plot" data-metric="${escapeHtml(m.metric)}"></div></div>`,
        );
      });
      body.push('</div></div>');
    }
  }
  if (report.problems.length) {
    body.push('<h2>Problems while collecting</h2><ul>');
    for (const p of report.problems) body.push(`<li>${escapeHtml(p)}</li>`);
    body.push('</ul>');
  }

  const uplotJs = readAsset('uPlot.iife.min.js').replace(/<\/script/gi, '<\\/script');
  const uplotCss = readAsset('uPlot.min.css');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>leakproof report${escapeHtml(scope)}</title>`,
    `<style>${uplotCss}\n${STYLE}</style>`,
    '</head><body>',
    ...body,
    `<script type="application/json" id="leakproof-data">${scriptJson({ schemaVersion: 1, charts })}</script>`,
    `<script>${uplotJs}</script>`,
    `<script>${CLIENT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
