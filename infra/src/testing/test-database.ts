import { Client, Pool } from 'pg';
import { randomBytes } from 'node:crypto';

/** Server the tests use: TEST_DATABASE_URL, else DATABASE_URL, else the local PostgreSQL (trust auth). */
export function testServerUrl(): string {
  return (
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  );
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the real PostgreSQL server, one per test file, so suites run in parallel
 * without seeing each other. Call drop() in afterAll.
 */
export async function createTestDatabase(prefix = 'stratus_test'): Promise<TestDatabase> {
  const server = new URL(testServerUrl());
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new Client({ connectionString: server.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A pool on a test database. Dropping the database (WITH FORCE) terminates any connection still closing, and
 * pg re-emits that on the pool: without a listener the whole suite would crash at teardown.
 */
export function testPool(url: string, max = 4): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
