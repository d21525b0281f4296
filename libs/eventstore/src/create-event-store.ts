import { Pool } from 'pg';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { PostgresEventStore } from './postgres-event-store';
import type { UpcasterRegistry } from './upcaster-registry';

export interface CreateEventStoreOptions {
  kind: 'postgres' | 'eventstoredb';
  /** PostgreSQL connection URL (kind 'postgres'). */
  databaseUrl?: string;
  /** EventStoreDB connection string, e.g. "esdb://host:2113?tls=false" (kind 'eventstoredb'). */
  connectionString?: string;
  upcasters?: UpcasterRegistry;
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** Create the PostgreSQL schema if missing (idempotent). Default true. */
  migrate?: boolean;
  onError?: (error: unknown) => void;
}

/** The configured adapter, ready to use. close() releases everything it opened. */
export async function createEventStore(options: CreateEventStoreOptions): Promise<EventStore> {
  switch (options.kind) {
    case 'postgres': {
      if (!options.databaseUrl) throw new Error("createEventStore: kind 'postgres' needs databaseUrl");
      const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
      pool.on('error', (error) => options.onError?.(error)); // idle client lost; the pool replaces it
      try {
        if (options.migrate !== false) await PostgresEventStore.migrate(pool);
      } catch (error) {
        await pool.end();
        throw error;
      }
      return new PostgresEventStore({
        pool,
        ownsPool: true,
        upcasters: options.upcasters,
        onError: options.onError,
      });
    }
    case 'eventstoredb': {
      if (!options.connectionString)
        throw new Error("createEventStore: kind 'eventstoredb' needs connectionString");
      return new EventStoreDbEventStore({
        connectionString: options.connectionString,
        upcasters: options.upcasters,
        onError: options.onError,
      });
    }
    default: {
      const kind: never = options.kind;
      throw new Error(`createEventStore: unknown kind ${String(kind)}`);
    }
  }
}
