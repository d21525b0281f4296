export * from './config.schema';
export * from './config';
export * from './launcher.schema';
export * from './rate-limit';
