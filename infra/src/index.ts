export * from './config';
export * from './secrets/secret-box';
export * from './linode-simulator';
