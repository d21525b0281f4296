export * from './metrics/metrics-server';
export * from './projections/projection-workers';
