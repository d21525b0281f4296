/**
 * The web server's API client against a local HTTP server standing in for the API: headers it sends (bearer token,
 * X-Min-Position, Idempotency-Key), paths and query strings, and how refusals become ApiRequestError.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiRequestError } from './api-client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let reply: (req: Seen) => { status: number; body?: unknown; raw?: string } = () => ({
  status: 200,
  body: {},
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      const answer = reply(request);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  reply = () => ({ status: 200, body: {} });
});

describe('requests', () => {
  it('sends the session as a bearer token and X-Min-Position on queries only', async () => {
    const api = new ApiClient({ baseUrl, token: 'jwt-1', minPosition: '10/10' });
    reply = () => ({ status: 200, body: { user: { id: 'u' }, memberships: [], activeOrganizationId: null } });
    const me = await api.me();
    expect(me.user.id).toBe('u');
    await api.powerAction('org-1', 'vps-1', 'reboot');
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['GET', '/api/me'],
      ['POST', '/api/organizations/org-1/vps/vps-1/actions'],
    ]);
    expect(seen[0].headers.authorization).toBe('Bearer jwt-1');
    expect(seen[0].headers['x-min-position']).toBe('10/10');
    expect(seen[1].headers['x-min-position']).toBeUndefined();
    expect(JSON.parse(seen[1].body)).toEqual({ action: 'reboot' });
  });

  it('sends no authorization without a session', async () => {
    await new ApiClient({ baseUrl }).plans();
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].url).toBe('/api/vps/plans');
  });

  it('creates a server with the Idempotency-Key header and the body the API expects', async () => {
    reply = () => ({ status: 202, body: { id: 'v1', status: 'provisioning', position: '5/5' } });
    const api = new ApiClient({ baseUrl, token: 't' });
    const created = await api.createServer('o1', 'key-123', {
      label: 'web-1',
      planId: 'p',
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Secret-Password-1',
    });
    expect(created).toMatchObject({ id: 'v1', position: '5/5' });
    expect(seen[0].headers['idempotency-key']).toBe('key-123');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0].body)).toMatchObject({ label: 'web-1', rootPassword: 'Secret-Password-1' });
  });

  it('pages the ledger with limit and cursor, leaving out what is not set', async () => {
    reply = () => ({ status: 200, body: { items: [], nextCursor: null } });
    const api = new ApiClient({ baseUrl, token: 't' });
    await api.walletTransactions('o1', { limit: 50, cursor: 'abc/def' });
    await api.walletTransactions('o1');
    await api.servers('o1', 'active');
    expect(seen.map((s) => s.url)).toEqual([
      '/api/organizations/o1/wallet/transactions?limit=50&cursor=abc%2Fdef',
      '/api/organizations/o1/wallet/transactions',
      '/api/organizations/o1/vps?status=active',
    ]);
  });

  it('escapes ids in paths', async () => {
    await new ApiClient({ baseUrl, token: 't' }).server('o1', '../admin');
    expect(seen[0].url).toBe('/api/organizations/o1/vps/..%2Fadmin');
  });
});

describe('refusals', () => {
  it("turns the API's { error, message, details } into an ApiRequestError with per-field messages", async () => {
    reply = () => ({
      status: 400,
      body: {
        error: 'validation_failed',
        message: 'password must be 10 to 200 characters',
        details: { fields: [{ field: 'password', problems: ['password must be 10 to 200 characters'] }] },
      },
    });
    const failure = await new ApiClient({ baseUrl })
      .register({ email: 'a@b.c', password: 'x', name: 'A' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiRequestError);
    const error = failure as ApiRequestError;
    expect([error.status, error.code, error.field]).toEqual([400, 'validation_failed', 'password']);
    expect(error.fieldErrors()).toEqual({ password: 'password must be 10 to 200 characters' });
  });

  it('names the field of a domain error (details.field)', async () => {
    reply = () => ({
      status: 409,
      body: {
        error: 'email_taken',
        message: 'This email address is already registered',
        details: { field: 'email' },
      },
    });
    const error = (await new ApiClient({ baseUrl })
      .register({ email: 'a@b.c', password: 'long-enough-1', name: 'A' })
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(error.fieldErrors()).toEqual({ email: 'This email address is already registered' });
  });

  it('reports a non-JSON failure with its status', async () => {
    reply = () => ({ status: 502, raw: 'Bad gateway' });
    const error = (await new ApiClient({ baseUrl }).plans().catch((e: unknown) => e)) as ApiRequestError;
    expect([error.status, error.code, error.message]).toEqual([502, 'http_502', 'Bad gateway']);
  });

  it('reports an API that does not answer as 503 api_unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = (await new ApiClient({ baseUrl: `http://127.0.0.1:${port}/api` })
      .plans()
      .catch((e: unknown) => e)) as ApiRequestError;
    expect(error).toBeInstanceOf(ApiRequestError);
    expect([error.status, error.code]).toEqual([503, 'api_unreachable']);
  });
});
