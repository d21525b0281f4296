import {
  paymentCreditKey,
  paymentCreditLedgerKey,
  paymentDebitChargeId,
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

async function runToCompletion(): Promise<HttpResult> {
  const requested = await post(RUNS, { ...WINDOW, organizationId: payer.orgId });
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

const walletEvents = async () => api.eventStore.readStream(streams.wallet(payer.orgId));

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
    // Histories as a crash or a bug would leave them, appended straight to the store.
    const writer = new BillingHistoryWriter(api.eventStore);
    const payment = (paymentId: string, command: Body<PaymentCommand>, at: number) =>
      writer.record(streams.payment(paymentId), paymentDecider, command, at);
    const wallet = (command: Body<WalletCommand>, at: number) =>
      writer.record(streams.wallet(payer.orgId), walletDecider, command, at);
    const captured = async (paymentId: string, captureId: string, amount: string, at: number) => {
      await payment(
        paymentId,
        {
          type: 'InitiatePayment',
          data: {
            paymentId,
            organizationId: payer.orgId,
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
    // The run finds an organization's payments through the payments read model.
    await waitFor(
      'the payments read model',
      async () => {
        const rows = await api.orm.em.fork().count(PaymentEntity, { organizationId: payer.orgId });
        return { value: rows === 2 ? rows : undefined, seen: rows };
      },
      30_000,
    );
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
