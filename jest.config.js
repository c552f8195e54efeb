// Jest configuration for the project's own tests (unit, integration, gpr, tooling). The bundled leak suites have their own config.
// The environment, runner and matcher setup load from the TypeScript sources (ts-jest, transpile only), the same code the
// tests import, so a test can never exercise a stale build of them; globalSetup rebuilds dist/ when a source is newer,
// for the tests that load the built package (child processes, fixtures, the CLI).
/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/scripts/ensureBuilt.js',
  testEnvironment: '<rootDir>/src/jest/environment.ts',
  testRunner: '<rootDir>/src/jest/runner.ts',
  roots: ['<rootDir>/tests'],
  // tooling/: tests of the project's own tools (valgrind checker, leak-suite analysis), apart from the product's tests.
  testMatch: ['**/tests/{unit,integration,gpr,tooling}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/matchers/setup.ts'],
  testTimeout: 120000,
};
