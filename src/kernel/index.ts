// The shared kernel: small helpers every layer may use (formatting, the headline rule, colour, validation, and the
// one atomic file write).
// It imports only src/model; nothing in it knows about Jest, the engine, the reporter or the CLI.
export { UNKNOWN_AMOUNT, formatAmount, formatBytes, formatCount } from './formatAmount';
export { formatSlope } from './formatSlope';
export { pad } from './pad';
export { isThenable } from './isThenable';
export { formatSite, type SitePosition } from './formatSite';
export { sparkline, metricSparkline } from './sparkline';
export { shouldColor } from './shouldColor';
export { headlineMetric, thresholdRatio } from './headlineMetric';
export { describeValue, isOptionsObject, unknownKeyOf } from './validate';
export { describeHorizon } from './describeHorizon';
export { describeUndecided } from './describeUndecided';
export { growthFigure } from './growthFigure';
export { formatVerdict, type VerdictSummary } from './formatVerdict';
export { replaceFile } from './replaceFile';
