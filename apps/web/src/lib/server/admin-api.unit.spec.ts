import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminApi, streamFromApi } from './admin-api';
import { ApiClient, ApiRequestError } from './api-client';

/** A local HTTP server standing in for the API: records each request, answers what the test queued. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Answer = { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> };

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let answers: Answer[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const answer = answers.shift() ?? { status: 200, body: {} };
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...answer.headers,
      });
      res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  // fetch keeps connections alive; close them so the worker exits at once.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
  answers = [];
});

const api = (token: string | null = 'staff-token') => new AdminApi(new ApiClient({ baseUrl, token }));
const ORG = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('directory', () => {
  test('searches users and organizations with q, bearer token, and unwraps items', async () => {
    answers.push({ body: { items: [{ id: 'u1' }] } }, { body: { items: [{ id: ORG }] } });
    expect(await api().users('ada lovelace')).toEqual([{ id: 'u1' }]);
    expect(await api().organizations('')).toEqual([{ id: ORG }]);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/admin/users?q=ada+lovelace',
      // An empty search is no parameter at all (the newest are listed).
      'GET /api/admin/organizations',
    ]);
    expect(seen[0].headers.authorization).toBe('Bearer staff-token');
  });

  test('ids are path-encoded', async () => {
    answers.push({ body: { id: 'x' } });
    await api().organization('a/b?c');
    expect(seen[0].url).toBe('/api/admin/organizations/a%2Fb%3Fc');
  });
});

describe('wallet credit', () => {
  test('posts amount and reason as strings with the Idempotency-Key header', async () => {
    answers.push({ status: 201, body: { transactionId: 't1', balance: '25.000000', position: '9/9' } });
    const answer = await api().creditWallet(ORG, { amount: '25.00', reason: 'Goodwill' }, 'staff-credit-1');
    expect(answer).toEqual({ transactionId: 't1', balance: '25.000000', position: '9/9' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: `/api/admin/organizations/${ORG}/wallet/credits`,
      body: { amount: '25.00', reason: 'Goodwill' },
    });
    expect(seen[0].headers['idempotency-key']).toBe('staff-credit-1');
  });

  test("the API's validation error keeps its field messages", async () => {
    answers.push({
      status: 400,
      body: {
        error: 'validation_failed',
        message: 'reason must be 1 to 500 characters',
        details: { fields: [{ field: 'reason', problems: ['reason must be 1 to 500 characters'] }] },
      },
    });
    const error = await api()
      .creditWallet(ORG, { amount: '1', reason: '' }, 'k')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).status).toBe(400);
    expect((error as ApiRequestError).fieldErrors()).toEqual({
      reason: 'reason must be 1 to 500 characters',
    });
  });
});

describe('plans', () => {
  test('create posts, update patches only the changes, deactivate patches active=false', async () => {
    answers.push({ body: [{ id: 'p1' }] }, { status: 201, body: { id: 'p2' } }, { body: {} }, { body: {} });
    expect(await api().plans()).toEqual([{ id: 'p1' }]);
    const input = {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    };
    await api().createPlan(input);
    await api().updatePlan('p2', { markup: '1.50' });
    await api().setPlanActive('p2', false);
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['GET', '/api/admin/plans', undefined],
      ['POST', '/api/admin/plans', input],
      ['PATCH', '/api/admin/plans/p2', { markup: '1.50' }],
      ['PATCH', '/api/admin/plans/p2', { active: false }],
    ]);
  });
});

describe('event history', () => {
  test('filters and cursors become query parameters; empty ones are dropped', async () => {
    answers.push({ body: { items: [], nextCursor: null } });
    await api().events({
      organizationId: ORG,
      type: 'WalletCredited',
      stream: '',
      before: '12/12',
      limit: 50,
    });
    const url = new URL(seen[0].url, 'http://x');
    expect(url.pathname).toBe('/api/admin/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      organizationId: ORG,
      type: 'WalletCredited',
      before: '12/12',
      limit: '50',
    });
  });

  test('a stream at a revision or a time (time travel)', async () => {
    answers.push({ body: { streamId: `wallet-${ORG}`, events: [] } }, { body: { events: [] } });
    await api().stream(`wallet-${ORG}`, { atRevision: 0 });
    await api().stream(`wallet-${ORG}`, { atTime: '2026-11-30T04:00:00.000Z' });
    expect(seen[0].url).toBe(`/api/admin/streams/wallet-${ORG}?atRevision=0`);
    expect(seen[1].url).toBe(`/api/admin/streams/wallet-${ORG}?atTime=2026-11-30T04%3A00%3A00.000Z`);
  });

  test('a correlation answers its events and the next cursor', async () => {
    answers.push({ body: { correlationId: 'req-1', items: [{ eventId: 'e1' }], nextCursor: '3/3' } });
    expect(await api().correlation('req-1')).toEqual({
      correlationId: 'req-1',
      items: [{ eventId: 'e1' }],
      nextCursor: '3/3',
    });
    expect(seen[0].url).toBe('/api/admin/correlations/req-1');
  });
});

describe('reconciliation', () => {
  test('start, list, detail with kinds, resolve with and without an amount', async () => {
    answers.push(
      { status: 201, body: { reconciliationId: 'r1', lines: [] } },
      { body: { items: [], nextCursor: null } },
      { body: { reconciliationId: 'r1', lines: [] } },
      { status: 201, body: { adjustmentAmount: '-0.01', balance: '1.00' } },
      { status: 201, body: {} },
    );
    await api().startReconciliation({ from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    await api().reconciliations({ limit: 20 });
    await api().reconciliation('r1', ['duplicate_charge', 'wrong_amount']);
    await api().resolveLine('r1', 'line 1', { reason: 'Refund the duplicate', amount: '-0.01' });
    await api().resolveLine('r1', 'line2', { reason: 'As computed' });
    expect(seen.map((s) => [s.method, decodeURIComponent(s.url), s.body])).toEqual([
      [
        'POST',
        '/api/admin/billing/reconciliations',
        { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' },
      ],
      ['GET', '/api/admin/billing/reconciliations?limit=20', undefined],
      ['GET', '/api/admin/billing/reconciliations/r1?kind=duplicate_charge,wrong_amount', undefined],
      [
        'POST',
        '/api/admin/billing/reconciliations/r1/lines/line 1/resolve',
        { reason: 'Refund the duplicate', amount: '-0.01' },
      ],
      ['POST', '/api/admin/billing/reconciliations/r1/lines/line2/resolve', { reason: 'As computed' }],
    ]);
  });
});

describe('provisioning and projections', () => {
  test('lists by state; actions post the reason only when given', async () => {
    answers.push(
      { body: { items: [{ workflowId: 'w' }], nextPageToken: 'n' } },
      { status: 202, body: {} },
      { status: 202, body: {} },
    );
    expect(await api().provisioning({ state: 'stuck' })).toEqual({
      items: [{ workflowId: 'w' }],
      nextPageToken: 'n',
    });
    await api().provisioningAction('v1', 'retry');
    await api().provisioningAction('v1', 'terminate', 'Provider lost the instance');
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['GET', '/api/admin/provisioning?state=stuck', undefined],
      ['POST', '/api/admin/provisioning/v1/retry', {}],
      ['POST', '/api/admin/provisioning/v1/terminate', { reason: 'Provider lost the instance' }],
    ]);
  });

  test('projections come as { projections }; rebuild posts to the named one', async () => {
    answers.push(
      { body: { projections: [{ name: 'wallets', status: 'running' }] } },
      { status: 202, body: { rebuildId: 'b', projection: 'wallets', status: 'rebuilding' } },
    );
    expect(await api().projections()).toEqual([{ name: 'wallets', status: 'running' }]);
    expect(await api().rebuildProjection('wallets')).toMatchObject({ status: 'rebuilding' });
    expect(seen[1]).toMatchObject({
      method: 'POST',
      url: '/api/admin/projections/wallets/rebuild',
      body: {},
    });
  });

  test('a customer token is refused with the API message; an unreachable API is a 503', async () => {
    answers.push({ status: 403, body: { error: 'forbidden', message: 'Platform administrators only' } });
    await expect(api('customer').projections()).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'Platform administrators only',
    });
    const down = new AdminApi(
      new ApiClient({ baseUrl: 'http://127.0.0.1:9/api', token: 't', timeoutMs: 2000 }),
    );
    await expect(down.projections()).rejects.toMatchObject({ status: 503, code: 'api_unreachable' });
  });
});

describe('streamFromApi', () => {
  test('streams the body with the token, keeping content type and disposition, never cached', async () => {
    answers.push({
      raw: '{"a":1}\n{"a":2}\n',
      headers: {
        'content-type': 'application/x-ndjson',
        'content-disposition': 'attachment; filename="x.jsonl"',
      },
    });
    const response = await streamFromApi({
      baseUrl,
      token: 'staff-token',
      path: '/admin/events/export',
      search: new URLSearchParams({ organizationId: ORG }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="x.jsonl"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('{"a":1}\n{"a":2}\n');
    expect(seen[0].url).toBe(`/api/admin/events/export?organizationId=${ORG}`);
    expect(seen[0].headers.authorization).toBe('Bearer staff-token');
  });

  test('an API error becomes an ApiRequestError with its message', async () => {
    answers.push({ status: 400, body: { error: 'invalid_query', message: 'from must be an ISO-8601 date' } });
    await expect(streamFromApi({ baseUrl, token: 't', path: '/admin/events/export' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_query',
      message: 'from must be an ISO-8601 date',
    });
  });
});
