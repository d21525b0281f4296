import { randomUUID } from 'node:crypto';
import {
  reconciliationDecider,
  reconciliationLineId,
  streams,
  vpsChargeId,
  type ReconciliationWindow,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId } from '@stratus/eventstore';
import {
  billingReconciliationWorkflowId,
  WORKFLOW_TYPES,
  type BillingReconciliationResult,
} from '@stratus/workflows';
import { BillingHistoryWriter } from '../../../api/src/modules/admin-billing/testing/billing-history.fixture';
import { TemporalHarness } from './testing/temporal-harness';

jest.setTimeout(180_000);

// The reconciliation job against a real Temporal dev server and PostgreSQL: the workflow, its heartbeating
// replay activity (organization by organization, from their own streams) and the run recorded on its stream.
const harness = new TemporalHarness();
const HOUR = 3_600_000;
const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const iso = (millis: number) => new Date(millis).toISOString();
const faultyOrg = randomUUID();
const cleanOrg = randomUUID();
const faultyVps = randomUUID();
const cleanVps = randomUUID();
let missingChargeId = '';
const window = { from: iso(T0), to: iso(T0 + 6 * HOUR), periodSeconds: 3600 };

beforeAll(async () => {
  await harness.setUp();
  // The read models the directory reads (the API migrates them where it shares the database).
  await harness.pool.query(`create table organizations (id text primary key);
    create table vps_servers (id text primary key, organization_id text not null);
    create table payments (payment_id text primary key, organization_id text not null)`);
  await harness.pool.query('insert into organizations values ($1), ($2)', [faultyOrg, cleanOrg]);
  await harness.pool.query('insert into vps_servers values ($1, $2), ($3, $4)', [
    faultyVps,
    faultyOrg,
    cleanVps,
    cleanOrg,
  ]);
  const writer = new BillingHistoryWriter(harness.store);
  for (const [org, vps] of [
    [faultyOrg, faultyVps],
    [cleanOrg, cleanVps],
  ]) {
    await writer.fund(org, 100_000_000n, T0);
    const billedUntil = await writer.activeServer(org, vps, T0);
    // Every period due inside the window is charged, except the faulty server's third.
    for (let start = billedUntil; start + HOUR < Date.parse(window.to); start += HOUR) {
      if (vps === faultyVps && start === billedUntil + 2 * HOUR) {
        missingChargeId = vpsChargeId(vps, iso(start));
        continue;
      }
      await writer.charge(org, vps, start, 1_000_000n, start + HOUR);
    }
  }
  await harness.startWorker();
});
afterAll(async () => {
  await harness.tearDown();
});

async function requestRun(organizationId: string | null): Promise<ReconciliationWindow> {
  const run = { reconciliationId: randomUUID(), ...window, organizationId };
  await new CommandExecutor({ eventStore: harness.store }).execute({
    streamId: streams.reconciliation(run.reconciliationId),
    decider: reconciliationDecider,
    context: { actor: { userId: 'staff', role: 'admin' }, correlationId: 'test', causationId: 'test' },
    idempotencyKey: `test-request:${run.reconciliationId}`,
    command: (_state, metadata) => ({ type: 'RequestReconciliation' as const, data: run, metadata }),
  });
  return run;
}

function runWorkflow(reconciliationId: string): Promise<BillingReconciliationResult> {
  return harness.env.client.workflow.execute(WORKFLOW_TYPES.billingReconciliation, {
    workflowId: billingReconciliationWorkflowId(reconciliationId),
    taskQueue: harness.taskQueue,
    args: [{ reconciliationId }],
  });
}

const recordedTypes = async (reconciliationId: string) =>
  (await harness.store.readStream(streams.reconciliation(reconciliationId))).map((e) => e.type);

test('a run over every organization replays each from its own streams and records lines, progress and the end', async () => {
  const run = await requestRun(null);
  const result = await runWorkflow(run.reconciliationId);
  expect(result).toMatchObject({ outcome: 'completed', organizations: 2, lines: 1 });
  const events = await harness.store.readStream(streams.reconciliation(run.reconciliationId));
  expect(events.map((e) => e.type)).toEqual([
    'BillingReconciliationRequested',
    'BillingReconciliationProgressed',
    'BillingReconciliationFinished',
  ]);
  const missing = missingChargeId;
  expect(events[1].data).toMatchObject({
    organizations: 2,
    throughOrganizationId: [faultyOrg, cleanOrg].sort()[1],
    lines: [
      { kind: 'missing_charge', chargeId: missing, lineId: reconciliationLineId(missing, 'missing_charge') },
    ],
  });
  // Only the two organizations' wallet and server streams were read (not the reconciliation stream itself).
  const ledger = await Promise.all(
    [streams.wallet(faultyOrg), streams.wallet(cleanOrg), streams.vps(faultyVps), streams.vps(cleanVps)].map(
      (id) => harness.store.readStream(id),
    ),
  );
  expect(events[2].data).toMatchObject({
    organizations: 2,
    eventsRead: ledger.reduce((n, stream) => n + stream.length, 0),
    summary: { lines: 1, discrepancies: { missing_charge: 1 } },
  });
  // The progress event's id derives from the run and the batch's last organization: a redone batch is one event.
  expect(events[1].id).toBe(
    deterministicEventId(
      `reconciliation:${run.reconciliationId}:through:${[faultyOrg, cleanOrg].sort()[1]}/0`,
    ),
  );
});

test('an organization run reads that organization only, and a retried replay records nothing twice', async () => {
  // The replay ran and recorded everything, then its answer was lost: the retry finds the run finished.
  const fault = harness.injectActivityFault({
    activity: 'runBillingReconciliation',
    at: 'after',
    nonRetryable: false,
    times: 1,
  });
  const run = await requestRun(cleanOrg);
  const result = await runWorkflow(run.reconciliationId);
  harness.clearActivityFaults();
  expect(fault.fired()).toBe(1);
  expect(result).toMatchObject({ outcome: 'completed', organizations: 1, lines: 0 });
  expect(await recordedTypes(run.reconciliationId)).toEqual([
    'BillingReconciliationRequested',
    'BillingReconciliationProgressed',
    'BillingReconciliationFinished',
  ]);
  const [, progressed] = await harness.store.readStream(streams.reconciliation(run.reconciliationId));
  expect(progressed.data).toMatchObject({ organizations: 1, throughOrganizationId: cleanOrg, lines: [] });
});

test('a replay that fails for good leaves the run failed, with the reason', async () => {
  harness.injectActivityFault({ activity: 'runBillingReconciliation', at: 'before', nonRetryable: true });
  const run = await requestRun(null);
  const result = await runWorkflow(run.reconciliationId);
  harness.clearActivityFaults();
  expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('injected') });
  const events = await harness.store.readStream(streams.reconciliation(run.reconciliationId));
  expect(events.map((e) => e.type)).toEqual([
    'BillingReconciliationRequested',
    'BillingReconciliationFailed',
  ]);
});
