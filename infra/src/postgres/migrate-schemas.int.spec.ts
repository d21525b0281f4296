import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../testing';
import { migrateSchemas } from './migrate-schemas';

describe('migrateSchemas', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('stratus_test_migrate');
  });
  afterAll(() => db.drop());

  async function schemas(): Promise<string[]> {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const result = await client.query(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
          WHERE table_name IN ('read_model_migrations') OR table_schema = 'eventstore' ORDER BY 1`,
      );
      return result.rows.map((row) => row.name as string);
    } finally {
      await client.end();
    }
  }

  it('creates the event store schema and the read models, then finds nothing left to do', async () => {
    const first = await migrateSchemas(db.url, 'postgres');
    expect(first.readModels.length).toBeGreaterThan(0);
    const created = await schemas();
    expect(created).toContain('public.read_model_migrations');
    expect(created.some((name) => name.startsWith('eventstore.'))).toBe(true);

    const second = await migrateSchemas(db.url, 'postgres');
    expect(second.readModels).toEqual([]);
    expect(await schemas()).toEqual(created);
  });

  it('leaves the event store alone when it is EventStoreDB', async () => {
    const other = await createTestDatabase('stratus_test_migrate_esdb');
    try {
      await migrateSchemas(other.url, 'eventstoredb');
      const client = new Client({ connectionString: other.url });
      await client.connect();
      try {
        const result = await client.query(
          `SELECT 1 FROM information_schema.schemata WHERE schema_name = 'eventstore'`,
        );
        expect(result.rowCount).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      await other.drop();
    }
  });
});
