export * from './linode-simulator';
export * from './simulator-state';
export * from './catalog';
export * from './ssh-server';
export * from './sandbox-shell';
export * from './transfer-counters';
