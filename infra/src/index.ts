export * from './config';
export * from './secrets/secret-box';
export * from './linode';
export * from './linode-simulator';
export * from './compensation/provisioning-compensation';
