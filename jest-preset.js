// Jest preset `leakproof`: GC without flags (environment), leak records (runner), `toLeakMemory` (setup), the leak report (reporter).
const path = require('node:path');

const dist = path.join(__dirname, 'dist');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: path.join(dist, 'src', 'jest', 'environment.js'),
  testRunner: path.join(dist, 'src', 'jest', 'runner.js'),
  setupFilesAfterEnv: [path.join(dist, 'matchers', 'setup.js')],
  reporters: ['default', path.join(dist, 'reporter', 'index.js')],
  // One assertion takes 0.3–3 s (20+ settled full GCs; the first in each worker also pays the control run), which
  // Jest's default of 5 s per test leaves too little room for on a loaded CI machine. Override in your config.
  testTimeout: 30_000,
  // The reporter writes its files under <rootDir>/leak-report; they must not re-trigger `jest --watch`.
  watchPathIgnorePatterns: ['<rootDir>/leak-report/'],
};
