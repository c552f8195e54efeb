// Statistics: pure functions over numeric series. Re-exports only.
export { median, robustSigma } from './median';
export { t975 } from './tQuantile';
export { ols, type OlsFit } from './ols';
export { theilSen, type TheilSenFit } from './theilSen';
export { medianIncrement, medianRank, type MedianIncrementFit } from './medianIncrement';
export { classifyGrowth, type ClassifyInput } from './classifyGrowth';
export { analyzeMetric, resolutionFor, BYTES_RESOLUTION_FLOOR, type AnalyzeInput } from './analyzeMetric';
export { sparkline } from './sparkline';
