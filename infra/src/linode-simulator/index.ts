export * from './linode-simulator';
export * from './simulator-state';
export * from './catalog';
