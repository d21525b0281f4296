export * from './test-database';
export * from './temporal-test-env';
export * from './stack';
export * from '../seeding/workflow-seeding';
export * from './stripe-mock';
export * from './mailpit';
export * from './pdf-text';
export * from './totp';
