// Jest configuration for the project's own tests (unit, integration, gpr). The bundled leak suites have their own config.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/dist/src/jest/environment.js',
  testRunner: '<rootDir>/dist/src/jest/runner.js',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/tests/{unit,integration,gpr}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['<rootDir>/dist/matchers/setup.js'],
  testTimeout: 120000,
};
