export * from './test-database';
export * from './temporal-test-env';
export * from './stack';
