// What the apps load at run time. The Linode simulator (and its SSH server) is its own entry point,
// `@stratus/infra/linode-simulator`, so the API and the workers never load it.
export * from './config';
export * from './logging';
export * from './secrets/secret-box';
export * from './linode';
export * from './compensation/provisioning-compensation';
