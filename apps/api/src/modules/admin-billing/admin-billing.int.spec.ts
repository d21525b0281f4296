import {
  money,
  PAYMENT_DISCREPANCY_KINDS,
  streams,
  walletBalanceOf,
  type WalletEvent,
} from '@stratus/domain';
import { waitFor } from '@stratus/infra/testing';
import { WalletEntity } from '@stratus/projections';
import { TASK_QUEUE } from '@stratus/workflows';
import { TemporalHarness } from '../../../../workers/src/temporal/testing/temporal-harness';
import { startTestApi, type HttpResult, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { seedBillingScenario, type SeededScenario } from './testing/billing-history.fixture';

jest.setTimeout(240_000);

// The replay runs as a Temporal workflow: a real worker (in this process) shares the API's database.
const harness = new TemporalHarness();

let api: TestApi;
let adminToken: string;
let customerToken: string;
let cleanOrg: string;
let faultyOrg: string;
let scenario: SeededScenario;

const START = Date.parse('2026-10-01T00:00:00.000Z');
const RUNS = '/api/admin/billing/reconciliations';

async function register(email: string, name: string) {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name },
  });
  expect(res.status).toBe(201);
  return res.body as { token: string; organization: { id: string } };
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}, token = adminToken) =>
  api.request('POST', path, { token, body, headers });
/** Reads wait for the read models to include `position` (a command's answer). */
const get = (path: string, position: string | null, token = adminToken) =>
  api.request('GET', path, { token, headers: position ? { 'X-Min-Position': position } : {} });

/**
 * GET until the read model has caught up (`ready`), with a deadline: X-Min-Position waits 2 s at most, too
 * little on a busy shared machine.
 */
async function getWhen(path: string, ready: (res: HttpResult) => boolean, position: string | null = null) {
  const deadline = Date.now() + 60_000;
  let res = await get(path, position);
  while (!ready(res) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    res = await get(path, position);
  }
  return res;
}

/** POSTs a run (202 at once), then waits for its workflow to finish it; returns the answer and the finished run. */
async function runToCompletion(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const requested = await post(RUNS, body, headers);
  expect({ status: requested.status, body: requested.body }).toMatchObject({ status: 202 });
  const path = `${RUNS}/${requested.body.reconciliationId}`;
  const done = await waitFor(
    `reconciliation ${requested.body.reconciliationId} to complete`,
    async () => {
      const res = await get(path, requested.body.position);
      return { value: res.status === 200 && res.body.status !== 'running' ? res : undefined, seen: res.body };
    },
    60_000,
  );
  expect(done.body.status).toBe('completed');
  return { requested, done };
}

const kinds = (res: HttpResult) =>
  (res.body.lines as { kind: string; chargeId: string }[]).map((l) => [l.kind, l.chargeId]);

beforeAll(async () => {
  await harness.setUp();
  // The API starts workflows on the production task queue: the harness's worker polls that one.
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
    },
  });
  await harness.startWorker();
  adminToken = (await signInAdmin(api)).token;
  cleanOrg = (await register('clean@example.com', 'Clean Co')).organization.id;
  const faulty = await register('faulty@example.com', 'Faulty Co');
  faultyOrg = faulty.organization.id;
  customerToken = faulty.token;
  scenario = await seedBillingScenario(api.eventStore, cleanOrg, faultyOrg, START);
});
afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

describe('POST /api/admin/billing/reconciliations', () => {
  test('finds every injected error and classifies it exactly; an unpaid period is reported apart', async () => {
    const { requested, done: res } = await runToCompletion({ from: scenario.from, to: scenario.to });
    expect(requested.headers.get('location')).toBe(`${RUNS}/${requested.body.reconciliationId}`);
    expect(res.body.progress.organizations).toBeGreaterThanOrEqual(2);
    expect(res.body.progress.eventsRead).toBeGreaterThan(0);
    expect(kinds(res)).toEqual(scenario.expected.map(([kind, chargeId]) => [kind, chargeId]));
    expect(res.body.summary).toEqual({
      servers: 3,
      payments: 0,
      lines: 7,
      discrepancies: {
        ...Object.fromEntries(PAYMENT_DISCREPANCY_KINDS.map((kind) => [kind, 0])),
        missing_charge: 1,
        duplicate_charge: 1,
        wrong_amount: 1,
        charge_while_suspended: 1,
        charge_after_deletion: 1,
        refund_mismatch: 1,
      },
      unpaid: 1,
      expectedTotal: expect.any(String),
      chargedTotal: expect.any(String),
    });
    const duplicate = res.body.lines.find((l: { kind: string }) => l.kind === 'duplicate_charge');
    expect(duplicate).toMatchObject({
      organizationId: faultyOrg,
      vpsId: scenario.faultyVpsId,
      expected: '1.000000',
      charged: '2.000000',
      difference: '-1.000000',
    });
    expect([...duplicate.eventIds].sort()).toEqual([...scenario.duplicateEventIds].sort());
    const byKind = Object.fromEntries(
      res.body.lines.map((l: { kind: string; expected: string; charged: string }) => [
        l.kind,
        [l.expected, l.charged],
      ]),
    );
    expect(byKind).toEqual({
      duplicate_charge: ['1.000000', '2.000000'],
      missing_charge: ['1.000000', '0.000000'],
      wrong_amount: ['1.000000', '0.500000'],
      charge_while_suspended: ['0.000000', '1.000000'],
      unpaid: ['1.000000', '0.000000'],
      charge_after_deletion: ['0.000000', '1.000000'],
      refund_mismatch: ['0.000000', '1.000000'],
    });
  });

  test('a clean history reports zero discrepancies', async () => {
    const { done: res } = await runToCompletion({
      from: scenario.from,
      to: scenario.to,
      organizationId: cleanOrg,
    });
    expect(res.body.progress.organizations).toBe(1);
    expect(res.body.lines).toEqual([]);
    expect(res.body.organizationId).toBe(cleanOrg);
    expect(res.body.summary).toMatchObject({
      servers: 1,
      lines: 0,
      unpaid: 0,
      expectedTotal: '6.500000', // first hour + 5 periods + half a period
      chargedTotal: '6.500000',
    });
  });

  test('Idempotency-Key: a retry returns the run already requested, a reused key with other input is refused', async () => {
    const body = { from: scenario.from, to: scenario.to, organizationId: faultyOrg };
    const { requested: first, done } = await runToCompletion(body, { 'Idempotency-Key': 'run-faulty-1' });
    const again = await post(RUNS, body, { 'Idempotency-Key': 'run-faulty-1' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.reconciliationId).toBe(first.body.reconciliationId);
    // Nothing more was recorded or replayed: one run, one request.
    const recorded = await api.eventStore.readStream(streams.reconciliation(first.body.reconciliationId));
    expect(recorded.filter((e) => e.type === 'BillingReconciliationRequested')).toHaveLength(1);
    expect(recorded.filter((e) => e.type === 'BillingReconciliationFinished')).toHaveLength(1);
    expect(done.body.summary.lines).toBe(7);
    const reused = await post(
      RUNS,
      { ...body, to: '2026-10-01T12:00:00Z' },
      { 'Idempotency-Key': 'run-faulty-1' },
    );
    expect(reused.status).toBe(409);
    expect(reused.body.error).toBe('idempotency_key_reused');
  });

  test.each([
    ['from is not ISO', { from: 'yesterday', to: '2026-10-02T00:00:00Z' }, 'invalid_instant'],
    ['a bare date', { from: '2026-10-01', to: '2026-10-02T00:00:00Z' }, 'invalid_instant'],
    ['from is missing', { to: '2026-10-02T00:00:00Z' }, 'validation_failed'],
    ['from = to', { from: '2026-10-01T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'invalid_window'],
    ['from > to', { from: '2026-10-02T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'invalid_window'],
    ['more than 366 days', { from: '2025-01-01T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'window_too_long'],
  ])('400 when %s, and nothing is recorded', async (_label, body, error) => {
    const before = await api.eventCount();
    const res = await post(RUNS, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error, message: expect.any(String) });
    expect(await api.eventCount()).toBe(before);
  });

  test('404 for an organization that does not exist', async () => {
    for (const organizationId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await post(RUNS, { from: scenario.from, to: scenario.to, organizationId });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('organization_not_found');
    }
  });

  test('403 for a customer, 401 without a token', async () => {
    expect((await post(RUNS, { from: scenario.from, to: scenario.to }, {}, customerToken)).status).toBe(403);
    expect((await get(RUNS, null, customerToken)).status).toBe(403);
    expect((await api.request('GET', RUNS)).status).toBe(401);
  });
});

describe('stored runs', () => {
  /** The finished run (GET detail), its position the request's. */
  let run: HttpResult;
  beforeAll(async () => {
    const { requested, done } = await runToCompletion({
      from: scenario.from,
      to: scenario.to,
      organizationId: faultyOrg,
    });
    run = { ...done, body: { ...done.body, position: requested.body.position } };
  });

  test('GET lists them newest first', async () => {
    const res = await get(RUNS, run.body.position);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({
      reconciliationId: run.body.reconciliationId,
      organizationId: faultyOrg,
      discrepancies: 6,
      resolved: 0,
      summary: run.body.summary,
    });
    const createdAt = res.body.items.map((i: { createdAt: string }) => i.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());
    const page = await get(`${RUNS}?limit=1`, null);
    expect(page.body.items).toHaveLength(1);
    const next = await get(`${RUNS}?limit=1&before=${page.body.nextCursor}`, null);
    expect(next.body.items[0].reconciliationId).not.toBe(page.body.items[0].reconciliationId);
    expect((await get(`${RUNS}?limit=0`, null)).status).toBe(400);
  });

  test('GET :id has the summary and the lines, filtered by kind', async () => {
    const id = run.body.reconciliationId;
    const all = await get(`${RUNS}/${id}`, run.body.position);
    expect(all.status).toBe(200);
    expect(all.body.lines.map((l: { lineId: string }) => l.lineId)).toEqual(
      run.body.lines.map((l: { lineId: string }) => l.lineId),
    );
    const some = await get(`${RUNS}/${id}?kind=duplicate_charge,unpaid`, null);
    expect(some.body.lines.map((l: { kind: string }) => l.kind).sort()).toEqual([
      'duplicate_charge',
      'unpaid',
    ]);
    const bad = await get(`${RUNS}/${id}?kind=nonsense`, null);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_kind');
    expect((await get(`${RUNS}/00000000-0000-4000-8000-000000000000`, null)).status).toBe(404);
    expect((await get(`${RUNS}/nope`, null)).status).toBe(404);
  });

  test('GET :id/lines.csv downloads the lines', async () => {
    const res = await get(`${RUNS}/${run.body.reconciliationId}/lines.csv`, run.body.position);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const rows = res.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'lineId,kind,organizationId,vpsId,paymentId,chargeId,periodStart,periodEnd,expected,charged,difference,eventIds',
    );
    expect(rows).toHaveLength(1 + run.body.lines.length);
    const duplicate = run.body.lines.find((l: { kind: string }) => l.kind === 'duplicate_charge');
    expect(rows).toContain(
      [
        duplicate.lineId,
        'duplicate_charge',
        faultyOrg,
        scenario.faultyVpsId,
        '',
        duplicate.chargeId,
        duplicate.periodStart,
        duplicate.periodEnd,
        '1.000000',
        '2.000000',
        '-1.000000',
        duplicate.eventIds.join(' '),
      ].join(','),
    );
  });

  test('resolving the double charge adjusts the wallet; a second run over the same period reports it clean', async () => {
    const id = run.body.reconciliationId;
    const duplicate = run.body.lines.find((l: { kind: string }) => l.kind === 'duplicate_charge');
    const resolvePath = `${RUNS}/${id}/lines/${duplicate.lineId}/resolve`;
    const before = await api.eventCount();
    expect((await post(resolvePath, { reason: 'x', amount: '1,00' })).status).toBe(400);
    expect((await post(resolvePath, { reason: '' })).status).toBe(400);
    expect((await post(resolvePath, { reason: 'double charge' }, {}, customerToken)).status).toBe(403);
    expect(await api.eventCount()).toBe(before);

    const resolved = await post(resolvePath, { reason: 'Refund of the double charge' });
    expect(resolved.status).toBe(201);
    expect(resolved.body).toMatchObject({
      reconciliationId: id,
      lineId: duplicate.lineId,
      adjustmentAmount: '1.000000',
    });

    const twice = await post(resolvePath, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('line_already_resolved');
    const unpaid = run.body.lines.find((l: { kind: string }) => l.kind === 'unpaid');
    const notAnError = await post(`${RUNS}/${id}/lines/${unpaid.lineId}/resolve`, { reason: 'x' });
    expect(notAnError.status).toBe(409);
    expect(notAnError.body.error).toBe('line_not_a_discrepancy');
    expect((await post(`${RUNS}/${id}/lines/rl-unknown/resolve`, { reason: 'x' })).status).toBe(404);

    // The correction is a WalletAdjusted referencing the charge and the line, never an edit.
    const ledger = await api.eventStore.readStream(streams.wallet(faultyOrg));
    const adjustment = ledger.find((e) => e.id === resolved.body.walletEventRef);
    expect(adjustment).toMatchObject({
      type: 'WalletAdjusted',
      data: {
        amount: '1.000000',
        subject: {
          chargeId: duplicate.chargeId,
          vpsId: scenario.faultyVpsId,
          reconciliationId: id,
          lineId: duplicate.lineId,
        },
      },
    });

    const { done: second } = await runToCompletion({
      from: scenario.from,
      to: scenario.to,
      organizationId: faultyOrg,
    });
    expect(kinds(second)).toEqual(
      scenario.expected.filter(([kind]) => kind !== 'duplicate_charge').map(([k, c]) => [k, c]),
    );
    expect(second.body.summary.discrepancies.duplicate_charge).toBe(0);

    const detail = await getWhen(
      `${RUNS}/${id}?kind=duplicate_charge`,
      (res) => res.body?.resolved === 1,
      resolved.body.position,
    );
    expect(detail.body.resolved).toBe(1);
    expect(detail.body.lines[0].resolution).toMatchObject({
      adjustmentAmount: '1.000000',
      reason: 'Refund of the double charge',
      walletEventRef: resolved.body.walletEventRef,
    });
  });

  test("the wallet's balance equals the sum of its ledger events", async () => {
    const ledger = (await api.eventStore.readStream(streams.wallet(faultyOrg))).map(
      (e) => ({ type: e.type, data: e.data }) as WalletEvent,
    );
    const sum = walletBalanceOf(ledger);
    const lastMoving = ledger.filter((e) => 'balanceAfter' in e.data).at(-1) as {
      data: { balanceAfter: string };
    };
    expect(money(lastMoving.data.balanceAfter)).toBe(sum);
    // And the read model agrees once it has caught up (polled with a deadline).
    const deadline = Date.now() + 10_000;
    let row = await api.orm.em.fork().findOne(WalletEntity, { organizationId: faultyOrg });
    while (row?.balance !== sum && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      row = await api.orm.em.fork().findOne(WalletEntity, { organizationId: faultyOrg });
    }
    expect(row?.balance).toBe(sum);
  });
});
