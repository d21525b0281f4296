import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  createEventStore,
  type EventStore,
  type NewEvent,
  type Position,
} from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import { createProjectionsOrm, migrateReadModels, type ProjectionsOrm } from '../orm';
import { foldProjection, type AnyProjection } from '../projection';
import { plansProjection } from '../plans/plans.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { rebuildProjection } from '../runner/rebuild';
import { RowTable } from '../runner/row-table';
import { readEverything, waitFor } from '../testing/read-model-snapshot';
import { vpsServersProjection } from './vps-servers.projection';

jest.setTimeout(120_000);

let db: TestDatabase;
let store: EventStore;
let orm: ProjectionsOrm;
let last: Position | null = null;

let clock = Date.parse('2026-01-01T00:00:00.000Z');
const event = (type: string, data: object): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { userId: 'u', role: 'customer' },
    occurredAt: new Date((clock += 60_000)).toISOString(),
    schemaVersion: 1,
  },
});

beforeAll(async () => {
  db = await createTestDatabase('stratus_projections_vps');
  store = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
  orm = await createProjectionsOrm(db.url);
  await migrateReadModels(orm);
  for (let p = 0; p < 3; p++) {
    const planId = `plan-${p}`;
    ({ position: last } = await store.appendToStream(
      `plan-${planId}`,
      [
        event('PlanCreated', {
          planId,
          name: `Plan ${p}`,
          provider: 'linode',
          providerPlanId: `g6-standard-${p}`,
          regions: ['us-east', `r-${p}`],
          baseMonthlyPrice: `${5 + p}.00`,
          markup: '1.25',
          backupUpcharge: '2',
          active: p !== 2,
        }),
        event('PlanPriceChanged', { planId, baseMonthlyPrice: '9.999999', markup: '0', backupUpcharge: '1' }),
      ],
      { expectedRevision: 'no_stream' },
    ));
  }
  for (let v = 0; v < 4; v++) {
    const vpsId = `vps-${v}`;
    const events = [
      event('VpsRequested', {
        vpsId,
        organizationId: `org-${v % 2}`,
        label: `web-${v}`,
        planId: 'plan-0',
        providerPlanId: 'g6-standard-0',
        region: 'us-east',
        image: 'linode/debian12',
        backups: v % 2 === 0,
        sshKeyIds: v === 0 ? [] : ['k1', 'k2'],
        encryptedRootPassword: 'v1.a.b.c',
        hourlyPrice: '0.013698',
        monthlyPrice: '10.000000',
        idempotencyKey: `key-${v}`,
        workflowId: `vps-provisioning-${vpsId}`,
      }),
      event('VpsProvisioningStageChanged', { vpsId, stage: 'creating_instance', attempt: 1 }),
    ];
    if (v > 1)
      events.push(
        event('VpsActivated', {
          vpsId,
          providerInstanceId: `${100 + v}`,
          ipv4: `203.0.113.${v}`,
          billingWorkflowId: `vps-billing-${vpsId}`,
          billedUntil: '2026-01-01T05:00:00.000Z',
        }),
      );
    ({ position: last } = await store.appendToStream(`vps-${vpsId}`, events, {
      expectedRevision: 'no_stream',
    }));
  }

  // Reads see only what is below the cluster-wide xmin: wait until our own appends are readable.
  await waitFor(
    async () => {
      const head = await store.headPosition();
      return head !== null && comparePositions(head, last!) >= 0;
    },
    { timeoutMs: 60_000 },
  );
});

afterAll(async () => {
  await orm?.close(true);
  await store?.close();
  await db?.drop();
});

test.each<AnyProjection>([plansProjection, vpsServersProjection])(
  '$name: run twice over the same events gives the same rows, equal to an in-memory fold',
  async (projection) => {
    const table = new RowTable<object>(orm, projection.entity);
    const knex = orm.em.getConnection().getKnex();
    const sorted = (rows: object[]) =>
      rows
        .map((row) => [table.keyOfRow(row), row] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, row]) => row);
    await new ProjectionRunner({ orm, eventStore: store, projection, batchSize: 3 }).catchUp();
    const first = sorted(await table.all(knex));
    const expected = sorted([...foldProjection(projection, await readEverything(store)).values()]);
    expect(first).toEqual(expected);
    expect(first.length).toBe(projection === plansProjection ? 3 : 4);
    await rebuildProjection(orm, store, projection.name, { batchSize: 1000 });
    expect(sorted(await table.all(knex))).toEqual(first);
  },
);
