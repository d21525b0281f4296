export * from './config';
export * from './secrets/secret-box';
