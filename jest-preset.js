// Jest preset `leakproof`: GC without flags (environment), leak records (runner), `toLeakMemory` (setup), the leak report (reporter).
const path = require('node:path');

const dist = path.join(__dirname, 'dist');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: path.join(dist, 'src', 'jest', 'environment.js'),
  testRunner: path.join(dist, 'src', 'jest', 'runner.js'),
  setupFilesAfterEnv: [path.join(dist, 'matchers', 'setup.js')],
  reporters: ['default', path.join(dist, 'reporter', 'index.js')],
};
