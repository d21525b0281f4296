export * from './linode-provider';
export * from './linode-price';
