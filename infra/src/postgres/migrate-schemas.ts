import { Pool } from 'pg';

const ESC = String.fromCharCode(27);
const stripAnsi = (text: string) =>
  text
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, '')))
    .join('');

/**
 * Brings the event store (schema `eventstore`, when it lives in PostgreSQL) and the read models up to date.
 * The API and the workers run the same migrations at their start (both serialise on advisory locks); running
 * them here first makes a schema problem one clear error before any service starts.
 */
export async function migrateSchemas(
  databaseUrl: string,
  eventStore: string,
  log: (line: string) => void = () => undefined,
): Promise<{ readModels: string[] }> {
  // Loaded lazily: only `npm start` and tests need MikroORM and the adapters, not every importer of @stratus/infra.
  const { PostgresEventStore } = await import('@stratus/eventstore');
  const { createProjectionsOrm, migrateReadModels } = await import('@stratus/projections');
  if (eventStore === 'postgres') {
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      await PostgresEventStore.migrate(pool);
    } finally {
      await pool.end();
    }
  }
  // Default pool size: migrateReadModels holds one connection for its advisory lock while the migrator uses another.
  const orm = await createProjectionsOrm(databaseUrl, {
    overrides: { logger: (message: string) => log(stripAnsi(message)) },
  });
  try {
    return { readModels: await migrateReadModels(orm) };
  } finally {
    await orm.close(true);
  }
}
