// What the apps load at run time. The simulators are their own entry points (`@stratus/infra/linode-simulator`,
// `@stratus/infra/paypal-simulator`), so the API and the workers never load them.
export * from './config';
export * from './logging';
export * from './secrets/secret-box';
export * from './linode';
export * from './compensation/provisioning-compensation';
export * from './firewall/platform-firewall';
export * from './invoicing/invoice-issuer';
export * from './wallet/wallet-stream';
export * from './payments';
