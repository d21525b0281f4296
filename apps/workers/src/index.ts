export * from './metrics/metrics-server';
export * from './projections/projection-workers';
export * from './shared/logger';
