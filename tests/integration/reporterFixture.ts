// Moved to tests/helpers/reporterFixture.ts (one folder for test helpers); re-exported here for imports of the old path.
export * from '../helpers/reporterFixture';
