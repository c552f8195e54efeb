// Moved to tests/helpers/rng.ts (one folder for test helpers); re-exported here for imports of the old path.
export * from '../../helpers/rng';
