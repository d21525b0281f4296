import {
  billingProfileDecider,
  paymentDecider,
  streams,
  taxRatesDecider,
  type PaymentCommand,
} from '@stratus/domain';
import {
  CommandExecutor,
  comparePositions,
  createEventStore,
  type EventStore,
  type Position,
} from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import {
  createProjectionsOrm,
  invoicesProjection,
  migrateReadModels,
  ProjectionRunner,
  InvoiceEntity,
  type InvoiceRow,
  type ProjectionsOrm,
} from '@stratus/projections';
import { v4 as uuidv4 } from 'uuid';
import { InvoiceIssuer } from '@stratus/infra';
import { InvoiceReactor } from './invoice-reactor';

jest.setTimeout(120_000);

const LIMITS = { min: 1_000_000n, max: 1_000_000_000n, daily: 100_000_000_000n };
const system = () => ({
  actor: { userId: 'system', role: 'system' },
  correlationId: uuidv4(),
  causationId: uuidv4(),
});

describe('invoice reactor on PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;
  let orm: ProjectionsOrm;
  let executor: CommandExecutor;

  beforeAll(async () => {
    db = await createTestDatabase('stratus_invoices');
    store = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
    orm = await createProjectionsOrm(db.url);
    await migrateReadModels(orm);
    executor = new CommandExecutor({ eventStore: store, clock: () => new Date('2026-05-03T10:00:00.000Z') });
  });

  afterAll(async () => {
    await orm?.close(true);
    await store?.close();
    await db?.drop();
  });

  /** Waits until readers see every event up to `position` (other suites' open transactions can hold them back). */
  async function visible(position: Position | null): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const head = await store.headPosition();
      if (position === null || (head && comparePositions(head, position) >= 0)) return;
      if (Date.now() > deadline) throw new Error('appended events never became visible');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function pay(organizationId: string, paymentId: string, amount: string): Promise<Position | null> {
    const run = (command: (meta: PaymentCommand['metadata']) => PaymentCommand) =>
      executor.execute({
        streamId: streams.payment(paymentId),
        decider: paymentDecider,
        context: system(),
        command: (_state, metadata) => command(metadata),
      });
    await run((metadata) => ({
      type: 'InitiatePayment',
      data: {
        paymentId,
        organizationId,
        provider: 'paypal',
        amount,
        limits: LIMITS,
        initiatedToday: 0n,
        providerOrderId: `ORDER-${paymentId}`,
        redirectUrl: 'https://paypal.example/approve',
      },
      metadata,
    }));
    const captured = await run((metadata) => ({
      type: 'RecordPaymentCapture',
      data: { captureId: `CAP-${paymentId}`, amount, currency: 'USD', via: 'return' },
      metadata,
    }));
    return captured.position;
  }

  /**
   * The invoices read model once `done` holds (the reactor's appends become visible to readers only when other
   * suites' open transactions let them), or as it is after 20 s.
   */
  async function invoiceRows(done: (rows: InvoiceRow[]) => boolean = () => true): Promise<InvoiceRow[]> {
    const runner = new ProjectionRunner({ orm, eventStore: store, projection: invoicesProjection });
    const deadline = Date.now() + 20_000;
    for (;;) {
      await runner.catchUp();
      const rows = await orm.em.fork().find(InvoiceEntity, {}, { orderBy: { number: 'asc' } });
      if (done(rows) || Date.now() > deadline) return rows;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('20 concurrent captures issued by 20 issuers take the numbers 1..20: no gap, no duplicate', async () => {
    const organizationId = uuidv4();
    const payments = Array.from({ length: 20 }, () => uuidv4());
    let last: Position | null = null;
    for (const paymentId of payments) last = await pay(organizationId, paymentId, '10.00');
    await visible(last);
    const captures = (await store.readAll({ after: null, maxCount: 10_000 })).events.filter(
      (event) => event.type === 'PaymentCaptured',
    );
    expect(captures).toHaveLength(20);
    // One executor each: no shared in-process queue, so they really race on the series stream.
    const issued = await Promise.all(
      captures.map((event) =>
        new InvoiceIssuer({
          executor: new CommandExecutor({ eventStore: store }),
          pricesIncludeTax: true,
        }).handle(event),
      ),
    );
    const numbers = issued.map((document) => document!.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, i) => `INV-2026-${String(i + 1).padStart(6, '0')}`),
    );
    const series = await store.readStream(streams.invoiceSeries('INV-2026'));
    expect(series.map((event) => (event.data as { sequence: number }).sequence)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('the reactor issues each capture once with the profile and rate snapshotted, and a credit note per refund; twice changes nothing', async () => {
    const organizationId = uuidv4();
    await executor.execute({
      streamId: streams.taxRates(),
      decider: taxRatesDecider,
      context: system(),
      command: (_state, metadata) => ({
        type: 'SetTaxRates' as const,
        data: { rates: [{ country: 'DE', rate: '19' }] },
        metadata,
      }),
    });
    await executor.execute({
      streamId: streams.billingProfile(organizationId),
      decider: billingProfileDecider,
      context: system(),
      command: (_state, metadata) => ({
        type: 'UpdateBillingProfile' as const,
        data: {
          organizationId,
          legalName: 'Acme GmbH',
          address: 'Hauptstr. 1\n10115 Berlin',
          country: 'DE',
          taxId: 'DE1',
        },
        metadata,
      }),
    });
    const paymentId = uuidv4();
    await pay(organizationId, paymentId, '20.00');
    const refunded = await executor.execute({
      streamId: streams.payment(paymentId),
      decider: paymentDecider,
      context: system(),
      command: (_state, metadata) => ({
        type: 'RecordPaymentRefund' as const,
        data: { refundId: 'REF-1', amount: 5_000_000n, reason: 'goodwill', walletDebited: 5_000_000n },
        metadata,
      }),
    });

    await visible(refunded.position);
    const reactor = () =>
      new InvoiceReactor({
        orm,
        eventStore: store,
        issuer: new InvoiceIssuer({ executor, pricesIncludeTax: true }),
        batchSize: 7,
      });
    await reactor().catchUp();
    const ofOrganization = (rows: InvoiceRow[]) =>
      rows.filter((row) => row.organizationId === organizationId);
    const first = ofOrganization(await invoiceRows((rows) => ofOrganization(rows).length >= 2));
    expect(first.map((row) => [row.kind, row.number, row.total, row.tax, row.taxRate])).toEqual([
      ['credit_note', 'CN-2026-000001', 5_000_000n, 800_000n, '19.00'],
      // 20.00 incl. 19%: 3.193… → 3.19
      ['invoice', 'INV-2026-000021', 20_000_000n, 3_190_000n, '19.00'],
    ]);
    expect(first[1].billingProfile).toEqual({
      legalName: 'Acme GmbH',
      address: 'Hauptstr. 1\n10115 Berlin',
      country: 'DE',
      taxId: 'DE1',
    });
    expect(first[0].correctsInvoiceId).toBe(first[1].invoiceId);

    // From the start again (a lost checkpoint, a second worker): nothing new anywhere.
    const before = (await store.readAll({ after: null, maxCount: 100_000 })).events.length;
    await orm.em
      .getConnection()
      .execute(`delete from projection_checkpoints where name = 'reactor:invoices'`);
    await reactor().catchUp();
    await Promise.all([reactor().catchUp(), reactor().catchUp()]);
    expect((await store.readAll({ after: null, maxCount: 100_000 })).events.length).toBe(before);
    expect(await invoiceRows((rows) => rows.length >= 22)).toHaveLength(22);
  });

  it('runs live: a capture appended while the reactor runs gets its invoice', async () => {
    const live = new InvoiceReactor({
      orm,
      eventStore: store,
      issuer: new InvoiceIssuer({ executor, pricesIncludeTax: false }),
    });
    live.start();
    try {
      const paymentId = uuidv4();
      await pay(uuidv4(), paymentId, '10.00');
      const rows = await invoiceRows((all) => all.some((row) => row.paymentId === paymentId));
      expect(rows.find((row) => row.paymentId === paymentId)).toMatchObject({
        number: 'INV-2026-000022',
        pricesIncludeTax: false,
        taxRate: '0.00',
        total: 10_000_000n,
      });
    } finally {
      await live.stop();
    }
  });
});
