// A one-line text chart of a series: moved to src/kernel/sparkline.ts (one chart for every face); re-exported here.
export { metricSparkline, sparkline } from '../kernel/sparkline';
