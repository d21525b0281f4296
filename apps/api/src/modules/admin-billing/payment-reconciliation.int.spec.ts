import {
  paymentCreditKey,
  paymentCreditLedgerKey,
  paymentDebitChargeId,
  organizationPaymentsDecider,
  paymentDecider,
  streams,
  walletDecider,
  type PaymentCommand,
  type WalletCommand,
} from '@stratus/domain';
import { deterministicEventId } from '@stratus/eventstore';
import { waitFor } from '@stratus/infra/testing';
import { PaymentEntity } from '@stratus/projections';
import { TASK_QUEUE } from '@stratus/workflows';
import { v4 as uuidv4 } from 'uuid';
import { TemporalHarness } from '../../../../workers/src/temporal/testing/temporal-harness';
import { signInAdmin, startTestApi, type HttpResult, type TestApi } from '../../testing/api-test-app';
import { BillingHistoryWriter } from './testing/billing-history.fixture';

jest.setTimeout(240_000);

// Payments in a reconciliation run: the replay runs as a Temporal workflow, a real worker in this process.
const harness = new TemporalHarness();

let api: TestApi;
let adminToken: string;
let payer: { token: string; orgId: string };

const START = Date.parse('2026-10-01T00:00:00.000Z');
const HOUR = 3_600_000;
const WINDOW = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
const RUNS = '/api/admin/billing/reconciliations';
const LIMITS = { min: 1_000_000n, max: 1_000_000_000n, daily: 10_000_000_000n };

type Body<C> = C extends { metadata: unknown } ? Omit<C, 'metadata'> : never;

const post = (path: string, body: unknown, token = adminToken) => api.request('POST', path, { token, body });

async function runToCompletion(organizationId = payer.orgId): Promise<HttpResult> {
  const requested = await post(RUNS, { ...WINDOW, organizationId });
  expect(requested.status).toBe(202);
  return waitFor(
    'the payments reconciliation to complete',
    async () => {
      const res = await api.request('GET', `${RUNS}/${requested.body.reconciliationId}`, {
        token: adminToken,
        headers: { 'X-Min-Position': requested.body.position },
      });
      return {
        value: res.status === 200 && res.body.status === 'completed' ? res : undefined,
        seen: res.body,
      };
    },
    60_000,
  );
}

const walletEvents = async (organizationId = payer.orgId) =>
  api.eventStore.readStream(streams.wallet(organizationId));

async function register(email: string): Promise<{ token: string; orgId: string }> {
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: email.split('@')[0] },
  });
  expect(registered.status).toBe(201);
  return { token: registered.body.token, orgId: registered.body.organization.id };
}

/** Histories as a crash or a bug would leave them, appended straight to the store. */
function history(organizationId: string) {
  const writer = new BillingHistoryWriter(api.eventStore);
  const payment = (paymentId: string, command: Body<PaymentCommand>, at: number) =>
    writer.record(streams.payment(paymentId), paymentDecider, command, at);
  const wallet = (command: Body<WalletCommand>, at: number) =>
    writer.record(streams.wallet(organizationId), walletDecider, command, at);
  const captured = async (paymentId: string, captureId: string, amount: string, at: number) => {
    // Listed among the organization's payments before it is initiated, as the settlement records it.
    await writer.record(
      streams.organizationPayments(organizationId),
      organizationPaymentsDecider,
      { type: 'ListOrganizationPayment', data: { organizationId, paymentId } },
      at,
    );
    await payment(
      paymentId,
      {
        type: 'InitiatePayment',
        data: {
          paymentId,
          organizationId,
          provider: 'paypal',
          amount,
          limits: LIMITS,
          initiatedToday: 0n,
          providerOrderId: `order-${captureId}`,
          redirectUrl: 'https://paypal.test/approve',
        },
      },
      at,
    );
    await payment(
      paymentId,
      { type: 'RecordPaymentCapture', data: { captureId, amount, currency: 'USD', via: 'return' } },
      at + 1000,
    );
  };
  /** The run finds an organization's payments through the payments read model (and its wallet). */
  const readModelShows = (count: number) =>
    waitFor(
      'the payments read model',
      async () => {
        const rows = await api.orm.em.fork().count(PaymentEntity, { organizationId });
        return { value: rows === count ? rows : undefined, seen: rows };
      },
      30_000,
    );
  return { payment, wallet, captured, readModelShows };
}

function resolver(run: HttpResult) {
  const lines = run.body.lines as { kind: string; chargeId: string; lineId: string; paymentId: string }[];
  return (chargeId: string, body: Record<string, unknown> = {}) =>
    post(
      `${RUNS}/${run.body.reconciliationId}/lines/${lines.find((l) => l.chargeId === chargeId)!.lineId}/resolve`,
      { reason: 'reconciliation', ...body },
    );
}

beforeAll(async () => {
  await harness.setUp();
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
    },
  });
  await harness.startWorker();
  adminToken = (await signInAdmin(api)).token;
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: 'payer@example.com', password: 'a-long-password-1', name: 'Payer Co' },
  });
  expect(registered.status).toBe(201);
  payer = { token: registered.body.token, orgId: registered.body.organization.id };
});
afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

describe('payments in a billing reconciliation', () => {
  const uncredited = uuidv4();
  const doubled = uuidv4();

  beforeAll(async () => {
    const { payment, wallet, captured, readModelShows } = history(payer.orgId);
    // The organization's wallet was opened at its registration.
    // Captured, never credited (the process stopped between the two appends).
    await captured(uncredited, 'CAP-1', '20.00', START + HOUR);
    // Captured and credited twice (a credit without its deterministic id), then refunded without a debit.
    await captured(doubled, 'CAP-2', '10.00', START + 2 * HOUR);
    const credit = { amount: 10_000_000n, source: 'payment' as const, reason: 'payment', reference: 'CAP-2' };
    await wallet({ type: 'CreditWallet', data: credit }, START + 2 * HOUR + 2000);
    await wallet({ type: 'CreditWallet', data: credit }, START + 2 * HOUR + 3000);
    await payment(
      doubled,
      {
        type: 'RecordPaymentRefund',
        data: { refundId: 'REF-1', amount: 4_000_000n, reason: 'asked', walletDebited: 4_000_000n },
      },
      START + 3 * HOUR,
    );
    await readModelShows(2);
    // The read model lags: it does not list the payment never credited (the run finds it in the event store).
    await api.orm.em
      .fork()
      .getConnection()
      .execute('delete from payments where payment_id = ?', [uncredited]);
  });

  test('a capture never credited, one credited twice and a refund never debited are found, resolved through the payment path once, then clean', async () => {
    const run = await runToCompletion();
    const lines = run.body.lines as { kind: string; chargeId: string; lineId: string; paymentId: string }[];
    expect(lines.map((l) => [l.kind, l.chargeId]).sort()).toEqual(
      [
        ['duplicate_credit', paymentCreditLedgerKey('CAP-2')],
        ['missing_credit', paymentCreditLedgerKey('CAP-1')],
        ['missing_refund_debit', paymentDebitChargeId(doubled, 'REF-1')],
      ].sort(),
    );
    expect(run.body.summary).toMatchObject({ payments: 2 });
    expect(lines.find((l) => l.kind === 'missing_credit')).toMatchObject({
      paymentId: uncredited,
      vpsId: null,
      expected: '-20.000000',
      charged: '0.000000',
    });
    const resolve = (kind: string, body: Record<string, unknown>) =>
      post(
        `${RUNS}/${run.body.reconciliationId}/lines/${lines.find((l) => l.kind === kind)!.lineId}/resolve`,
        {
          reason: 'reconciliation',
          ...body,
        },
      );

    // A missing credit is the capture's own credit: no amount is taken from staff.
    const before = await api.eventCount();
    const withAmount = await resolve('missing_credit', { amount: '5.00' });
    expect({ status: withAmount.status, error: withAmount.body.error }).toEqual({
      status: 400,
      error: 'amount_not_allowed',
    });
    expect(await api.eventCount()).toBe(before);
    const credited = await resolve('missing_credit', {});
    expect(credited.status).toBe(201);
    expect(credited.body).toMatchObject({
      adjustmentAmount: '20.000000',
      walletEventRef: deterministicEventId(paymentCreditKey('paypal', 'CAP-1')),
    });
    expect((await resolve('missing_credit', {})).status).toBe(409);
    // The customer's return arrives afterwards: the settlement's credit is the same event, nothing more.
    const returned = await api.request(
      'POST',
      `/api/organizations/${payer.orgId}/payments/${uncredited}/capture`,
      { token: payer.token },
    );
    expect(returned.status).toBe(200);
    const credits = (await walletEvents()).filter(
      (e) => e.type === 'WalletCredited' && (e.data as { reference?: string }).reference === 'CAP-1',
    );
    expect(credits.map((e) => [e.id, (e.data as { amount: string }).amount])).toEqual([
      [credited.body.walletEventRef, '20.000000'],
    ]);

    // The refund's debit: what the balance covers, under the refund's charge id.
    const debited = await resolve('missing_refund_debit', {});
    expect(debited.status).toBe(201);
    expect(debited.body.adjustmentAmount).toBe('-4.000000');
    const debits = (await walletEvents()).filter(
      (e) =>
        e.type === 'WalletCharged' &&
        (e.data as { chargeId: string }).chargeId === paymentDebitChargeId(doubled, 'REF-1'),
    );
    expect(debits.map((e) => (e.data as { amount: string }).amount)).toEqual(['4.000000']);

    // The second credit is taken back by an adjustment naming the capture's ledger key.
    const adjusted = await resolve('duplicate_credit', {});
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.adjustmentAmount).toBe('-10.000000');
    const adjustment = (await walletEvents()).find((e) => e.id === adjusted.body.walletEventRef);
    expect(adjustment).toMatchObject({
      type: 'WalletAdjusted',
      data: {
        amount: '-10.000000',
        subject: { chargeId: paymentCreditLedgerKey('CAP-2'), paymentId: doubled },
      },
    });

    const again = await runToCompletion();
    expect(again.body.lines).toEqual([]);
    expect(again.body.summary).toMatchObject({ payments: 2, lines: 0 });
  });
});

describe('a refund never debited, resolved when the balance no longer covers it', () => {
  const paymentId = uuidv4();
  let owner: { token: string; orgId: string };

  beforeAll(async () => {
    owner = await register('spender@example.com');
    const { payment, wallet, captured, readModelShows } = history(owner.orgId);
    await captured(paymentId, 'CAP-9', '10.00', START + HOUR);
    await wallet(
      {
        type: 'CreditWallet',
        data: { amount: 10_000_000n, source: 'payment', reason: 'payment', reference: 'CAP-9', paymentId },
      },
      START + HOUR + 2000,
    );
    // Spent on servers: 3.00 left when the two refunds (5.00, then 2.00) were recorded without their debits.
    await wallet(
      {
        type: 'ChargeWallet',
        data: { chargeId: 'spent-on-servers', amount: 7_000_000n, description: 'servers' },
      },
      START + 2 * HOUR,
    );
    for (const [refundId, amount] of [
      ['REF-9a', 5_000_000n],
      ['REF-9b', 2_000_000n],
    ] as const) {
      await payment(
        paymentId,
        { type: 'RecordPaymentRefund', data: { refundId, amount, reason: 'asked', walletDebited: amount } },
        START + 3 * HOUR,
      );
    }
    await readModelShows(1);
  });

  test('the resolution records what the wallet took and, apart, what became outstanding debt', async () => {
    const run = await runToCompletion(owner.orgId);
    const first = paymentDebitChargeId(paymentId, 'REF-9a');
    const second = paymentDebitChargeId(paymentId, 'REF-9b');
    expect((run.body.lines as { kind: string; chargeId: string }[]).map((l) => [l.kind, l.chargeId])).toEqual(
      [
        ['missing_refund_debit', first],
        ['missing_refund_debit', second],
      ],
    );
    const resolve = resolver(run);

    // 3.00 in the wallet: taken, and the other 2.00 owed.
    const partly = await resolve(first);
    expect({ status: partly.status, body: partly.body }).toMatchObject({
      status: 201,
      body: { adjustmentAmount: '-3.000000', debtRecorded: '2.000000', balance: '0.000000' },
    });
    // Nothing left: the whole 2.00 is owed, nothing moved on the balance.
    const wholly = await resolve(second);
    expect({ status: wholly.status, body: wholly.body }).toMatchObject({
      status: 201,
      body: { adjustmentAmount: '0.000000', debtRecorded: '2.000000', balance: '0.000000' },
    });
    const recorded = (await api.eventStore.readStream(streams.reconciliation(run.body.reconciliationId)))
      .filter((e) => e.type === 'ReconciliationLineResolved')
      .map((e) => e.data as { adjustmentAmount: string; debtRecorded?: string });
    expect(recorded.map((r) => [r.adjustmentAmount, r.debtRecorded])).toEqual([
      ['-3.000000', '2.000000'],
      ['0.000000', '2.000000'],
    ]);
    const debts = (await walletEvents(owner.orgId)).filter((e) => e.type === 'WalletDebtRecorded');
    expect(debts.map((e) => (e.data as { amount: string }).amount)).toEqual(['2.000000', '2.000000']);

    const again = await runToCompletion(owner.orgId);
    expect(again.body.lines).toEqual([]);
  });
});
