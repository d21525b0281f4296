export * from './event-store.port';
export * from './upcaster-registry';
export * from './postgres-event-store';
export { PostgresSubscription } from './postgres-subscription';
export * from './postgres-snapshot-store';
export * from './eventstoredb-event-store';
export * from './create-event-store';
export * from './command-executor';
export * from './keyed-mutex';
