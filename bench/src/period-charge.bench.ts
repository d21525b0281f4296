import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { streams, type VpsPeriodBilled } from '@stratus/domain';
import { PostgresEventStore, PostgresSnapshotStore, type NewEvent } from '@stratus/eventstore';
import { LinodeProvider, SecretBox } from '@stratus/infra';
import { WorkflowSeeding } from '@stratus/infra/dist/seeding/workflow-seeding';
import { createActivities } from '@stratus/workers/dist/temporal/activities/create-activities';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile } from './harness';

const SUITE = 'period-charge';
const HOUR = 3600;
const PRICE = 13_699n;
const START = Date.parse('2020-01-01T00:00:00.000Z');
const at = (period: number) => new Date(START + period * HOUR * 1000).toISOString();

/** Appends `count` VpsPeriodBilled events (periods 1..count after activation) straight to the server's stream. */
async function seedBilledPeriods(store: PostgresEventStore, vpsId: string, count: number): Promise<void> {
  const streamId = streams.vps(vpsId);
  let revision = (await store.readStream(streamId)).at(-1)!.revision;
  for (let done = 0; done < count;) {
    const batch: NewEvent[] = [];
    for (let i = 0; i < 1000 && done < count; i++, done++) {
      const data: VpsPeriodBilled['data'] = {
        vpsId,
        chargeId: `seed-${vpsId}-${done}`,
        amount: '0.013699',
        periodStart: at(done + 1),
        periodEnd: at(done + 2),
      };
      batch.push({
        id: randomUUID(),
        type: 'VpsPeriodBilled',
        data,
        metadata: {
          correlationId: 'bench',
          causationId: 'bench',
          actor: { userId: 'system', role: 'system' },
          occurredAt: at(done + 2),
          schemaVersion: 1,
        },
      });
    }
    revision = (await store.appendToStream(streamId, batch, { expectedRevision: revision }))
      .nextExpectedRevision;
  }
}

/**
 * Latency of the billing workflow's period charge (the chargePeriod activity: the server's billing view,
 * the wallet charge, the server's VpsPeriodBilled) for a server with `priorEvents` events in its stream,
 * beside the same activity for a server with 10: it reads O(1) events whatever the server's age.
 */
export async function periodChargeBench(options: {
  priorEvents: number;
  samples: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('period_charge');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await PostgresEventStore.migrate(pool);
    const store = new PostgresEventStore({ pool });
    const seeding = new WorkflowSeeding(store, new SecretBox(SecretBox.generateKey()), 'bench');
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const activities = createActivities({
      eventStore: store,
      snapshots: new PostgresSnapshotStore(pool),
      // Never called by chargePeriod.
      provider: new LinodeProvider({ baseUrl: 'http://127.0.0.1:9', token: 'unused' }),
      secretBox: new SecretBox(SecretBox.generateKey()),
      log: silent,
    });
    const server = async (prior: number) => {
      const organizationId = await seeding.fundedOrganization(1_000_000_000_000n);
      const vpsId = await seeding.activeVps(organizationId, PRICE, at(1));
      await seedBilledPeriods(store, vpsId, prior);
      return { vpsId, next: prior + 1, events: (await store.readStream(streams.vps(vpsId))).length };
    };
    const fresh = await server(7);
    const long = await server(options.priorEvents - 3);
    const charge = async (target: { vpsId: string; next: number }) => {
      const period = target.next++;
      const started = process.hrtime.bigint();
      const result = await activities.chargePeriod({
        vpsId: target.vpsId,
        periodStart: at(period),
        periodEnd: at(period + 1),
        periodSeconds: HOUR,
        attempt: 1,
      });
      if (result.outcome !== 'charged') throw new Error(`period charge ${result.outcome}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // The first charge of the long server folds its whole history once and leaves snapshots behind.
    const firstOnLong = await charge(long);
    for (let i = 0; i < 5; i++) {
      await charge(fresh);
      await charge(long);
    }
    const freshSamples: number[] = [];
    const longSamples: number[] = [];
    // Interleaved, so both servers see the same machine conditions.
    for (let i = 0; i < options.samples; i++) {
      freshSamples.push(await charge(fresh));
      longSamples.push(await charge(long));
    }
    await store.close();
    const label = long.events.toLocaleString('en');
    return [50, 95].map((p) =>
      figure({
        suite: SUITE,
        name: `period charge p${p}, server with ${label} prior events`,
        value: percentile(longSamples, p),
        unit: 'ms',
        baselineName: `same charge, server with ${fresh.events} prior events`,
        baseline: percentile(freshSamples, p),
        higherIsBetter: false,
        notes: `first charge of the long server (no snapshot yet, folds everything): ${firstOnLong.toFixed(1)} ms`,
      }),
    );
  } finally {
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}
