// Moved to tests/helpers/syntheticRecords.ts (one folder for test helpers); re-exported here for imports of the old path.
export * from '../../helpers/syntheticRecords';
