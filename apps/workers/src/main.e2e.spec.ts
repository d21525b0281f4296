import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createEventStore, type EventStore } from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import { createProjectionsOrm, projectionStatuses, type ProjectionsOrm } from '@stratus/projections';
import { LedgerSimulator } from '@stratus/projections/testing/ledger-simulator';
import {
  foldReadModels,
  snapshotReadModels,
  waitFor,
} from '@stratus/projections/testing/read-model-snapshot';

jest.setTimeout(240_000);

const WORKER = join(__dirname, '..', 'dist', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

class WorkerProcess {
  output = '';
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> | null = null;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(): void {
    const child = spawn(process.execPath, [WORKER], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ? null : code)),
    );
    this.child = child;
  }

  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    this.child?.kill(signal);
    const code = await this.exited;
    this.child = null;
    return code;
  }

  get running(): boolean {
    return this.child !== null;
  }
}

describe('workers process (compiled) under load and SIGKILL', () => {
  let db: TestDatabase;
  let store: EventStore;
  let orm: ProjectionsOrm;
  let worker: WorkerProcess;
  let metricsPort: number;

  beforeAll(async () => {
    if (!existsSync(WORKER))
      throw new Error(`${WORKER} is missing: build first (npx tsc -b tsconfig.build.json)`);
    db = await createTestDatabase('stratus_workers_e2e');
    store = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
    metricsPort = await freePort();
    worker = new WorkerProcess({
      ...process.env,
      DATABASE_URL: db.url,
      EVENT_STORE: 'postgres',
      SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PROJECTION_BATCH_SIZE: '40',
      WORKERS_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
    });
  });

  afterAll(async () => {
    if (worker?.running) await worker.signal('SIGKILL');
    await orm?.close(true);
    await store?.close();
    await db?.drop();
  });

  it('loses and repeats nothing across kills, and ends equal to a fold of the same events', async () => {
    const ledger = new LedgerSimulator(store, 7);
    const organizations = Array.from({ length: 16 }, (_, i) => `org-${i}`);
    for (const [i, organizationId] of organizations.entries()) {
      await ledger.registerUser(`user-${i}`);
      await ledger.createOrganization(organizationId, `user-${i}`);
      await ledger.openWallet(organizationId);
    }

    worker.start();
    // The worker migrates the read models; the test reads them once they exist.
    await waitFor(async () => worker.output.includes('workers: started'), {
      timeoutMs: 30_000,
      describe: () => worker.output,
    });
    orm = await createProjectionsOrm(db.url);
    const processed = async () =>
      (await projectionStatuses(orm, store)).reduce((sum, s) => sum + s.eventsProcessed, 0);

    // Load in rounds: every organization's wallet moves money concurrently (1-3 events per append); as soon
    // as the worker has committed something new, SIGKILL it while it is still catching up, then restart it.
    const rounds = 4;
    const perRound = 15;
    for (let round = 0; round < rounds; round++) {
      const before = await processed();
      const load = Promise.all(
        organizations.map((organizationId, i) => ledger.moveMoney(organizationId, perRound, 1 + (i % 3))),
      );
      await waitFor(async () => (await processed()) > before, { timeoutMs: 60_000, intervalMs: 5 });
      expect(await worker.signal('SIGKILL')).toBeNull();
      await load;
      worker.start();
    }
    await ledger.waitUntilVisible(store, 90_000);

    // Caught up: every checkpoint at the head.
    await waitFor(
      async () =>
        (await projectionStatuses(orm, store)).every((s) => s.lagEvents === 0 && s.status === 'running'),
      {
        timeoutMs: 90_000,
        intervalMs: 100,
        describe: async () =>
          JSON.stringify(await projectionStatuses(orm, store)) + worker.output.slice(-2000),
      },
    );

    const snapshot = await snapshotReadModels(orm);
    expect(snapshot).toEqual(await foldReadModels(orm, store));
    expect(snapshot['wallet-transactions']).toHaveLength(16 * rounds * perRound);

    // Ledger invariant: balance == sum of its transactions, one transaction row per counted event.
    const knex = orm.em.getConnection().getKnex();
    const mismatches = await knex.raw(`
      select w.organization_id, w.balance, coalesce(sum(t.amount), 0) as sum, w.transaction_count, count(t.id) as rows
        from wallets w left join wallet_transactions t on t.organization_id = w.organization_id
       group by w.organization_id, w.balance, w.transaction_count
      having w.balance <> coalesce(sum(t.amount), 0) or w.transaction_count <> count(t.id)`);
    expect(mismatches.rows).toEqual([]);
    expect(snapshot.wallets).toHaveLength(16);

    // Metrics served by the running worker.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('stratus_projection_lag_events{projection="wallet-transactions"} 0');
    expect(metrics).toContain('stratus_projection_lag_seconds{projection="wallets"} 0');
    expect(metrics).toMatch(/stratus_projection_events_total\{projection="wallets"\} \d+/);

    // SIGTERM: clean exit and checkpoints marked stopped.
    expect(await worker.signal('SIGTERM')).toBe(0);
    expect(worker.output).toContain('workers: stopped');
    for (const status of await projectionStatuses(orm, store))
      expect(status).toMatchObject({ status: 'stopped', lagEvents: 0 });
  });
});
