import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { BYTES_PER_GB, replayOrganizationBilling, streams, type TransferMeasured } from '@stratus/domain';
import { PostgresEventStore, PostgresSnapshotStore, type NewEvent } from '@stratus/eventstore';
import { LinodeProvider, SecretBox } from '@stratus/infra';
import { WorkflowSeeding } from '@stratus/infra/dist/seeding/workflow-seeding';
import { createActivities } from '@stratus/workers/dist/temporal/activities/create-activities';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, runConcurrently, timeIt } from './harness';

const SUITE = 'transfer';
const MONTH = '2026-11';
const MONTH_START = Date.parse('2026-11-01T00:00:00.000Z');

/** `hours` hourly measurements of one server (counters growing), appended as the measurement activity writes them. */
async function seedMeasurements(
  store: PostgresEventStore,
  organizationId: string,
  vpsId: string,
  hours: number,
): Promise<void> {
  const events: NewEvent[] = [];
  let used = 0n;
  for (let hour = 0; hour < hours; hour++) {
    // ~2 GB an hour and an odd number of bytes: overage past a 1,000 GB quota within a month.
    used += 2n * BYTES_PER_GB + BigInt((hour * 7919) % 1_000_003);
    const at = new Date(MONTH_START + hour * 3_600_000).toISOString();
    const data: TransferMeasured['data'] = {
      vpsId,
      organizationId,
      month: MONTH,
      hour: at,
      usedBytes: used.toString(),
      quotaGb: hours >= 500 ? 1000 : 10,
    };
    events.push({
      id: randomUUID(),
      type: 'TransferMeasured',
      data,
      metadata: {
        correlationId: 'bench',
        causationId: 'bench',
        actor: { userId: 'system', role: 'system' },
        occurredAt: at,
        schemaVersion: 1,
      },
    });
  }
  await store.appendToStream(streams.transfer(vpsId, MONTH), events, { expectedRevision: 'no_stream' });
}

/**
 * The month close of network transfer: every organization's servers' months pooled and the overage charged once
 * (the closeTransferMonth activity each month-close workflow runs), for `servers` servers across `organizations`
 * organizations, beside as many one-row INSERT+COMMITs in the same run. Fails unless the reconciliation finds
 * every organization's charge exactly as owed.
 */
export async function transferBench(options: {
  servers: number;
  organizations: number;
  hours: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('transfer');
  const pool = new Pool({ connectionString: db.url, max: 8 });
  try {
    await PostgresEventStore.migrate(pool);
    const store = new PostgresEventStore({ pool });
    const seeding = new WorkflowSeeding(store, new SecretBox(SecretBox.generateKey()), 'bench');
    const organizations = await Promise.all(
      Array.from({ length: options.organizations }, () => seeding.fundedOrganization(1_000_000_000_000n)),
    );
    const serversOf = new Map<string, string[]>(organizations.map((o) => [o, []]));
    await runConcurrently(options.servers, 8, async (i) => {
      const organizationId = organizations[i % organizations.length];
      const vpsId = randomUUID();
      serversOf.get(organizationId)!.push(vpsId);
      await seedMeasurements(store, organizationId, vpsId, options.hours);
    });
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const activities = createActivities({
      eventStore: store,
      snapshots: new PostgresSnapshotStore(pool),
      // The close never calls the provider.
      provider: new LinodeProvider({ baseUrl: 'http://127.0.0.1:9', token: 'unused' }),
      secretBox: new SecretBox(SecretBox.generateKey()),
      billingDirectory: {
        organizationsAfter: async () => organizations,
        serversOf: async (organizationId) => serversOf.get(organizationId) ?? [],
        paymentsOf: async () => [],
      },
      clock: () => new Date('2026-12-01T01:00:00.000Z'),
      log: silent,
    });

    await pool.query(
      'CREATE TABLE bench_plain_rows (id bigserial PRIMARY KEY, vps_id text NOT NULL, amount bigint NOT NULL)',
    );
    const all = [...serversOf.values()].flat();
    const plain = await timeIt(() =>
      runConcurrently(all.length, 8, async (i) => {
        await pool.query('INSERT INTO bench_plain_rows (vps_id, amount) VALUES ($1, $2)', [all[i], '1']);
      }),
    );
    const closed = await timeIt(() =>
      runConcurrently(organizations.length, Math.min(8, organizations.length), async (i) => {
        const result = await activities.closeTransferMonth({
          organizationId: organizations[i],
          month: MONTH,
        });
        if (result.outcome !== 'charged') throw new Error(`month close ${result.outcome}`);
      }),
    );
    // The money path is checked, not assumed: every organization's overage reconciles to 0 lines.
    let lines = 0;
    for (const organizationId of organizations) {
      const report = await replayOrganizationBilling(
        { readStream: (streamId, page) => store.readStream(streamId, page) },
        {
          from: '2026-11-30T23:00:00.000Z',
          to: '2026-12-01T02:00:00.000Z',
          periodSeconds: 3600,
          organizationId,
        },
        { servers: serversOf.get(organizationId)! },
      );
      lines += report.lines.length;
    }
    if (lines !== 0) throw new Error(`the reconciliation found ${lines} lines after the month close`);
    await store.close();
    return [
      figure({
        suite: SUITE,
        name: `transfer month close: ${all.length} servers (${options.hours} hourly measurements each) in ${organizations.length} organizations, overage charged and recorded`,
        value: closed.ms,
        unit: 'ms',
        baselineName: `${all.length} one-row INSERT+COMMITs`,
        baseline: plain.ms,
        higherIsBetter: false,
        notes: `reconciled: 0 lines over ${organizations.length} organizations`,
      }),
    ];
  } finally {
    await pool.end();
    await db.drop();
  }
}
