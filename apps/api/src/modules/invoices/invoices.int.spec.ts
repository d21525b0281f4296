/**
 * Invoices, statements, billing profiles and tax rates over HTTP (real PostgreSQL, projections running): a
 * captured payment's invoice issued by the workers' issuer, listed, shown and downloaded as a PDF whose text
 * (`pdftotext`) carries its number, lines, tax and total; every route's security and bad input.
 */
import { paymentDecider, streams, vpsChargeId, walletDecider, type PaymentCommand } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { InvoiceIssuer } from '@stratus/infra';
import { pdfText } from '@stratus/infra/testing';
import { v4 as uuidv4 } from 'uuid';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

jest.setTimeout(120_000);

let api: TestApi;
let executor: CommandExecutor;
let adminToken: string;
let counter = 0;

interface Customer {
  token: string;
  orgId: string;
  email: string;
}

async function customer(): Promise<Customer> {
  const email = `invoiced${++counter}@example.com`;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `Invoiced ${counter}` },
  });
  expect(reg.status).toBe(201);
  return { token: reg.body.token as string, orgId: reg.body.organization.id as string, email };
}

const system = () => ({
  actor: { userId: 'system', role: 'system' },
  correlationId: uuidv4(),
  causationId: uuidv4(),
});

/** A captured PayPal payment as the payments module records it, then its invoice as the workers issue it. */
async function capturedAndInvoiced(orgId: string, amount: string): Promise<string> {
  const paymentId = uuidv4();
  const step = (command: (metadata: PaymentCommand['metadata']) => PaymentCommand) =>
    executor.execute({
      streamId: streams.payment(paymentId),
      decider: paymentDecider,
      context: system(),
      command: (_state, metadata) => command(metadata),
    });
  await step((metadata) => ({
    type: 'InitiatePayment',
    data: {
      paymentId,
      organizationId: orgId,
      provider: 'paypal',
      amount,
      limits: { min: 1_000_000n, max: 1_000_000_000n, daily: 10_000_000_000n },
      initiatedToday: 0n,
      providerOrderId: `ORDER-${paymentId.slice(0, 8)}`,
      redirectUrl: 'https://paypal.example/approve',
    },
    metadata,
  }));
  const captured = await step((metadata) => ({
    type: 'RecordPaymentCapture',
    data: { captureId: `CAP-${paymentId.slice(0, 8)}`, amount, currency: 'USD', via: 'return' },
    metadata,
  }));
  const [event] = await api.eventStore.readStream(streams.payment(paymentId), {
    fromRevision: captured.revision as bigint,
  });
  const issued = await new InvoiceIssuer({ executor, pricesIncludeTax: true }).handle(event);
  return issued!.invoiceId;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  api = await startTestApi();
  executor = new CommandExecutor({ eventStore: api.eventStore });
  adminToken = (await signInAdmin(api)).token;
});

afterAll(async () => {
  await api?.close();
});

describe('invoices', () => {
  test('staff set tax rates, a customer saves a profile, a captured payment is invoiced with both, as JSON and PDF', async () => {
    const rates = await api.request('PUT', '/api/admin/tax-rates', {
      token: adminToken,
      body: {
        rates: [
          { country: 'DE', rate: '19' },
          { country: 'FR', rate: '20' },
        ],
      },
    });
    expect(rates.status).toBe(200);
    expect(rates.body.rates).toEqual([
      { country: 'DE', rate: '19.00' },
      { country: 'FR', rate: '20.00' },
    ]);
    // X-Min-Position waits 2 s at most: a loaded machine may need longer.
    const listed = await eventually(
      () =>
        api.request('GET', '/api/admin/tax-rates', {
          token: adminToken,
          headers: { 'X-Min-Position': rates.body.position },
        }),
      (res) => res.body.rates?.length === 2,
    );
    expect(listed.body.rates.map((r: { country: string; rate: string }) => [r.country, r.rate])).toEqual([
      ['DE', '19.00'],
      ['FR', '20.00'],
    ]);

    const owner = await customer();
    const saved = await api.request('PUT', `/api/organizations/${owner.orgId}/billing-profile`, {
      token: owner.token,
      body: {
        legalName: 'Acme GmbH',
        address: 'Hauptstr. 1\n10115 Berlin',
        country: 'de',
        taxId: 'DE123456789',
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.profile).toEqual({
      legalName: 'Acme GmbH',
      address: 'Hauptstr. 1\n10115 Berlin',
      country: 'DE',
      taxId: 'DE123456789',
    });
    const profile = await eventually(
      () =>
        api.request('GET', `/api/organizations/${owner.orgId}/billing-profile`, {
          token: owner.token,
          headers: { 'X-Min-Position': saved.body.position },
        }),
      (res) => res.body.profile !== null,
    );
    expect(profile.body.profile).toEqual(saved.body.profile);

    const invoiceId = await capturedAndInvoiced(owner.orgId, '20.00');
    const page = await eventually(
      () => api.request('GET', `/api/organizations/${owner.orgId}/invoices`, { token: owner.token }),
      (res) => res.body.items?.length === 1,
    );
    expect(page.status).toBe(200);
    expect(page.body.items[0]).toMatchObject({
      invoiceId,
      kind: 'invoice',
      number: expect.stringMatching(/^INV-\d{4}-000001$/),
      taxCountry: 'DE',
      taxRate: '19.00',
      pricesIncludeTax: true,
      subtotal: '16.810000',
      tax: '3.190000',
      total: '20.000000',
    });
    const number = page.body.items[0].number as string;
    const one = await api.request('GET', `/api/organizations/${owner.orgId}/invoices/${invoiceId}`, {
      token: owner.token,
    });
    expect(one.body).toEqual(page.body.items[0]);

    const pdf = await fetch(`${api.url}/api/organizations/${owner.orgId}/invoices/${invoiceId}/pdf`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(await pdf.arrayBuffer());
    expect(text).toContain(`Invoice ${number}`);
    expect(text).toContain('Acme GmbH');
    expect(text).toContain('Tax ID: DE123456789');
    expect(text).toMatch(/Prepaid account credit, paid by PayPal \(capture CAP-[0-9a-f]{8}\)\s+\$20\.00/);
    expect(text).toMatch(/Subtotal \(before tax\)\s+\$16\.81/);
    expect(text).toMatch(/Tax 19\.00% \(DE\), included\s+\$3\.19/);
    expect(text).toMatch(/Total \(USD\)\s+\$20\.00/);

    const staff = await api.request('GET', `/api/admin/invoices?organizationId=${owner.orgId}`, {
      token: adminToken,
    });
    expect(staff.body.items.map((item: { invoiceId: string }) => item.invoiceId)).toEqual([invoiceId]);
  });

  test('invoices page with a cursor, newest first', async () => {
    const owner = await customer();
    const ids = [];
    for (const amount of ['5.00', '6.00', '7.00']) ids.push(await capturedAndInvoiced(owner.orgId, amount));
    await eventually(
      () => api.request('GET', `/api/organizations/${owner.orgId}/invoices`, { token: owner.token }),
      (res) => res.body.items?.length === 3,
    );
    const first = await api.request('GET', `/api/organizations/${owner.orgId}/invoices?limit=2`, {
      token: owner.token,
    });
    expect(first.body.items).toHaveLength(2);
    const second = await api.request(
      'GET',
      `/api/organizations/${owner.orgId}/invoices?limit=2&cursor=${first.body.nextCursor}`,
      { token: owner.token },
    );
    expect(second.body.nextCursor).toBeNull();
    const seen = [...first.body.items, ...second.body.items].map(
      (item: { invoiceId: string }) => item.invoiceId,
    );
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(seen).toHaveLength(3);
  });

  test('the monthly statement groups the charges by server, as JSON and PDF', async () => {
    const owner = await customer();
    const vpsA = uuidv4();
    const wallet = (command: Parameters<typeof walletDecider.decide>[0]['type'], data: object) =>
      executor.execute({
        streamId: streams.wallet(owner.orgId),
        decider: walletDecider,
        context: system(),
        command: (_state, metadata) => ({ type: command, data, metadata }) as never,
      });
    await wallet('CreditWallet', { amount: 50_000_000n, source: 'staff_credit', reason: 'seed' });
    await wallet('ChargeWallet', {
      amount: 1_500_000n,
      chargeId: vpsChargeId(vpsA, '2026-01-01T00:00:00.000Z'),
      description: 'Server hour',
    });
    await wallet('ChargeWallet', {
      amount: 2_250_000n,
      chargeId: vpsChargeId(vpsA, '2026-01-01T01:00:00.000Z'),
      description: 'Server hour',
    });
    const month = new Date().toISOString().slice(0, 7);
    const statement = await eventually(
      () =>
        api.request('GET', `/api/organizations/${owner.orgId}/statements/${month}`, { token: owner.token }),
      (res) => res.body.total === '3.750000',
    );
    expect(statement.status).toBe(200);
    expect(statement.body.servers).toEqual([{ vpsId: vpsA, label: null, entries: 2, amount: '3.750000' }]);
    const empty = await api.request('GET', `/api/organizations/${owner.orgId}/statements/2001-01`, {
      token: owner.token,
    });
    expect(empty.body).toMatchObject({ servers: [], total: '0.000000' });
    const pdf = await fetch(`${api.url}/api/organizations/${owner.orgId}/statements/${month}/pdf`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(pdf.status).toBe(200);
    const text = await pdfText(await pdf.arrayBuffer());
    expect(text).toContain(`Usage statement ${month}`);
    expect(text).toMatch(new RegExp(`Server ${vpsA} \\(2 charges\\)\\s+\\$3\\.75`));
    expect(text).toMatch(/Total charges\s+\$3\.75/);
  });

  test('bad input is a 400 and records nothing', async () => {
    const owner = await customer();
    const count = await api.eventCount();
    const bad: [string, string, unknown, string][] = [
      [
        'PUT',
        `/api/organizations/${owner.orgId}/billing-profile`,
        { legalName: '', address: 'x', country: 'DE' },
        'legalName',
      ],
      [
        'PUT',
        `/api/organizations/${owner.orgId}/billing-profile`,
        { legalName: 'A', address: 'x', country: 'Germany' },
        'country',
      ],
      [
        'PUT',
        `/api/organizations/${owner.orgId}/billing-profile`,
        { legalName: 'A', address: 'x', country: '1X' },
        'country',
      ],
      [
        'PUT',
        `/api/organizations/${owner.orgId}/billing-profile`,
        { legalName: 'A', address: 'x', country: 'DE', taxId: '<b>' },
        'taxId',
      ],
      ['PUT', `/api/organizations/${owner.orgId}/billing-profile`, 'nonsense', ''],
      ['PUT', '/api/admin/tax-rates', { rates: [{ country: 'DE', rate: 19 }] }, 'rate'],
      ['PUT', '/api/admin/tax-rates', { rates: [{ country: 'DE', rate: '101' }] }, 'rate'],
      [
        'PUT',
        '/api/admin/tax-rates',
        {
          rates: [
            { country: 'DE', rate: '1' },
            { country: 'de', rate: '2' },
          ],
        },
        'country',
      ],
      ['PUT', '/api/admin/tax-rates', { rates: 'DE=19' }, 'rates'],
    ];
    for (const [method, path, body, field] of bad) {
      const token = path.startsWith('/api/admin') ? adminToken : owner.token;
      const res = await api.request(method, path, { token, body });
      expect({ path, body, status: res.status, hasError: typeof res.body?.error === 'string' }).toEqual({
        path,
        body,
        status: 400,
        hasError: true,
      });
      if (field) expect(JSON.stringify(res.body)).toContain(field);
    }
    for (const path of [
      `/api/organizations/${owner.orgId}/invoices?limit=0`,
      `/api/organizations/${owner.orgId}/invoices?cursor=not-ours`,
      `/api/organizations/${owner.orgId}/statements/2026-13`,
      `/api/organizations/${owner.orgId}/statements/may`,
      `/api/organizations/${owner.orgId}/statements/2026-1/pdf`,
      '/api/admin/invoices?organizationId=nope',
    ]) {
      const res = await api.request('GET', path, {
        token: path.startsWith('/api/admin') ? adminToken : owner.token,
      });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    const missing = await api.request('GET', `/api/organizations/${owner.orgId}/invoices/not-a-uuid/pdf`, {
      token: owner.token,
    });
    expect(missing.status).toBe(404);
    expect(await api.eventCount()).toBe(count);
  });

  test('security: anonymous 401, another organization 404, a lower role 403, customers on staff routes 403', async () => {
    const owner = await customer();
    const invoiceId = await capturedAndInvoiced(owner.orgId, '5.00');
    const viewer = await customer();
    const member = await customer();
    for (const [who, role] of [
      [viewer, 'viewer'],
      [member, 'member'],
    ] as const) {
      await joinByInvitation(api, owner.orgId, owner.token, who, role);
    }
    const stranger = await customer();
    const base = `/api/organizations/${owner.orgId}`;
    const profile = { legalName: 'A', address: 'B', country: 'DE' };
    // [method, path, body, the lower role: viewer lacks billing_view, member lacks billing_manage]
    const routes: [string, string, unknown, Customer][] = [
      ['GET', `${base}/invoices`, undefined, viewer],
      ['GET', `${base}/invoices/${invoiceId}`, undefined, viewer],
      ['GET', `${base}/invoices/${invoiceId}/pdf`, undefined, viewer],
      ['GET', `${base}/statements/2026-05`, undefined, viewer],
      ['GET', `${base}/statements/2026-05/pdf`, undefined, viewer],
      ['GET', `${base}/billing-profile`, undefined, viewer],
      ['PUT', `${base}/billing-profile`, profile, member],
    ];
    const count = await api.eventCount();
    for (const [method, path, body, lowerRole] of routes) {
      const anonymous = await api.request(method, path, { body });
      const other = await api.request(method, path, { body, token: stranger.token });
      const lower = await api.request(method, path, { body, token: lowerRole.token });
      expect({ path, method, statuses: [anonymous.status, other.status, lower.status] }).toEqual({
        path,
        method,
        statuses: [401, 404, 403],
      });
    }
    // Another organization's invoice id under one's own organization is not found either.
    for (const suffix of ['', '/pdf']) {
      const foreign = await api.request(
        'GET',
        `/api/organizations/${stranger.orgId}/invoices/${invoiceId}${suffix}`,
        {
          token: stranger.token,
        },
      );
      expect(foreign.status).toBe(404);
    }
    const staffRoutes: [string, string, unknown?][] = [
      ['GET', '/api/admin/tax-rates'],
      ['PUT', '/api/admin/tax-rates', { rates: [] }],
      ['GET', '/api/admin/invoices'],
    ];
    for (const [method, path, body] of staffRoutes) {
      const anonymous = await api.request(method, path, { body });
      const customerCall = await api.request(method, path, { body, token: owner.token });
      expect({ path, statuses: [anonymous.status, customerCall.status] }).toEqual({
        path,
        statuses: [401, 403],
      });
    }
    expect(await api.eventCount()).toBe(count);
  });
});
