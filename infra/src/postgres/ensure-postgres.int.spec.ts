import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testServerUrl } from '../testing';
import {
  ensureDatabase,
  ensurePostgres,
  localPostgresVersions,
  probePostgres,
  redact,
  withDatabase,
} from './ensure-postgres';

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

describe('ensurePostgres with DATABASE_URL', () => {
  const name = `stratus_test_ensure_${randomBytes(4).toString('hex')}`;
  afterAll(() => dropDatabase(name));

  it('creates the missing database once and returns its URL', async () => {
    const logs: string[] = [];
    const url = withDatabase(testServerUrl(), name);
    const first = await ensurePostgres({
      databaseUrl: url,
      dataDir: tmpdir(),
      log: (line) => logs.push(line),
    });
    expect(first.source).toBe('DATABASE_URL');
    expect(first.databaseUrl).toBe(url);
    expect(await databaseExists(name)).toBe(true);
    expect(await probePostgres(first.databaseUrl)).toBeNull();
    expect(logs).toEqual([`created database ${name}`]);

    const second = await ensurePostgres({
      databaseUrl: url,
      dataDir: tmpdir(),
      log: (line) => logs.push(line),
    });
    expect(second.databaseUrl).toBe(url);
    expect(logs).toHaveLength(1);
    await second.stop(); // not ours: a no-op
    expect(await probePostgres(url)).toBeNull();
  });

  it('ensureDatabase survives concurrent creators', async () => {
    const results = await Promise.all([
      ensureDatabase(testServerUrl(), name),
      ensureDatabase(testServerUrl(), name),
    ]);
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await databaseExists(name)).toBe(true);
  });

  it('refuses a database name that would need quoting', async () => {
    await expect(ensureDatabase(testServerUrl(), 'x"; DROP DATABASE postgres; --')).rejects.toThrow(
      /Refusing/,
    );
  });
});

describe('probePostgres', () => {
  it('reports a closed port as an error instead of throwing', async () => {
    const error = await probePostgres('postgres://postgres@127.0.0.1:1/postgres', 1000);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('localPostgresVersions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-etc-postgresql-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists versions with a main cluster, newest first', () => {
    for (const version of ['13', '15', '16'])
      mkdirSync(join(dir, version, version === '16' ? 'other' : 'main'), { recursive: true });
    mkdirSync(join(dir, 'notes'));
    expect(localPostgresVersions(dir)).toEqual(['15', '13']);
    expect(localPostgresVersions(join(dir, 'missing'))).toEqual([]);
  });
});

describe('redact', () => {
  it('hides the password', () => {
    expect(redact('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
  });
});
