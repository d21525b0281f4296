import { createHmac } from 'node:crypto';
import { formatPosition } from '@stratus/eventstore';
import { buildOfflineOpenApiDocument } from './app.factory';
import { startTestApi, TEST_JWT_SECRET, type TestApi, signInAdmin } from './testing/api-test-app';

let api: TestApi;
let adminToken: string;
let alice: { token: string; user: { id: string }; organization: { id: string }; position: string };
let bob: { token: string; user: { id: string }; organization: { id: string }; position: string };

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function forge(header: object, payload: object, secret: string | null): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  api = await startTestApi();
  const reg = async (email: string) => {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'a-long-password-1', name: email.split('@')[0] },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  alice = await reg('alice@example.com');
  bob = await reg('bob@example.com');
  adminToken = (await signInAdmin(api)).token;
});
afterAll(async () => {
  await api?.close();
});

describe('JWT', () => {
  const valid = () => ({
    sub: alice.user.id,
    email: 'alice@example.com',
    role: 'customer',
    // Alice's own session: the control token differs from hers only where a case says so.
    sid: JSON.parse(Buffer.from(alice.token.split('.')[1], 'base64url').toString()).sid,
    iss: 'stratus',
    aud: 'stratus-api',
    iat: now(),
    exp: now() + 600,
  });

  test('a correctly signed token is accepted (control)', async () => {
    const res = await api.request('GET', '/api/me', {
      token: forge({ alg: 'HS256', typ: 'JWT' }, valid(), TEST_JWT_SECRET),
    });
    expect(res.status).toBe(200);
  });

  test.each([
    ['no token', () => undefined],
    ['alg none', () => forge({ alg: 'none', typ: 'JWT' }, valid(), null)],
    [
      'wrong key',
      () => forge({ alg: 'HS256', typ: 'JWT' }, valid(), 'another-secret-of-sufficient-length-000'),
    ],
    [
      'expired',
      () =>
        forge(
          { alg: 'HS256', typ: 'JWT' },
          { ...valid(), iat: now() - 7200, exp: now() - 60 },
          TEST_JWT_SECRET,
        ),
    ],
    [
      'wrong audience',
      () => forge({ alg: 'HS256', typ: 'JWT' }, { ...valid(), aud: 'someone-else' }, TEST_JWT_SECRET),
    ],
    ['wrong issuer', () => forge({ alg: 'HS256', typ: 'JWT' }, { ...valid(), iss: 'evil' }, TEST_JWT_SECRET)],
    [
      'HS512 with the right key',
      () => {
        const unsigned = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(valid())}`;
        return `${unsigned}.${createHmac('sha512', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
      },
    ],
    [
      'tampered payload (admin role, original signature)',
      () => {
        const [h, , s] = alice.token.split('.');
        return `${h}.${b64({ ...valid(), role: 'admin' })}.${s}`;
      },
    ],
    ['garbage', () => 'not.a.jwt'],
  ])('%s → 401 JSON', async (_name, token) => {
    const res = await api.request('GET', '/api/me', { token: token() });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
  });

  test('a forged admin claim signed with our key still needs the admin role in the user stream', async () => {
    const token = forge({ alg: 'HS256', typ: 'JWT' }, { ...valid(), role: 'admin' }, TEST_JWT_SECRET);
    const res = await api.request(
      'POST',
      `/api/admin/organizations/${alice.organization.id}/wallet/credits`,
      {
        token,
        body: { amount: '1.00', reason: 'x' },
      },
    );
    expect(res.status).toBe(403);
  });
});

describe('cross-tenant access is a 404, never data', () => {
  const NO_ID = '00000000-0000-4000-8000-000000000000';
  test.each([
    ['GET', '', undefined],
    ['GET', '/members', undefined],
    ['GET', '/wallet', undefined],
    ['GET', '/wallet/transactions', undefined],
    ['PATCH', '', { name: 'pwned' }],
    ['DELETE', `/members/${NO_ID}`, undefined],
    ['GET', '/invitations', undefined],
    ['POST', '/invitations', { email: 'bob@example.com', role: 'owner' }],
    ['DELETE', `/invitations/${NO_ID}`, undefined],
    ['GET', '/roles', undefined],
    ['POST', '/roles', { name: 'Mine', permissions: ['vps_view'] }],
    ['PATCH', `/roles/${NO_ID}`, { name: 'Mine' }],
    ['DELETE', `/roles/${NO_ID}`, undefined],
  ])('%s /organizations/<alice>%s as bob', async (method, suffix, body) => {
    const res = await api.request(method, `/api/organizations/${alice.organization.id}${suffix}`, {
      token: bob.token,
      body,
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  test('an unknown or malformed organization id looks the same', async () => {
    const unknown = await api.request('GET', '/api/organizations/00000000-0000-4000-8000-000000000000', {
      token: bob.token,
    });
    const malformed = await api.request('GET', "/api/organizations/' OR 1=1 --/wallet", { token: bob.token });
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(unknown.body).toEqual(
      (await api.request('GET', `/api/organizations/${alice.organization.id}`, { token: bob.token })).body,
    );
  });

  test('bob cannot make alice’s organization active', async () => {
    const res = await api.request('POST', '/api/me/active-organization', {
      token: bob.token,
      body: { organizationId: alice.organization.id },
    });
    expect(res.status).toBe(404);
  });
});

describe('bad input is a 4xx JSON answer and appends nothing', () => {
  const credit = () => `/api/admin/organizations/${alice.organization.id}/wallet/credits`;
  const cases: Array<
    [
      string,
      () => {
        method: string;
        path: string;
        body?: unknown;
        rawBody?: string;
        headers?: Record<string, string>;
        token?: string;
      },
      number,
      string,
    ]
  > = [
    [
      'float amount',
      () => ({ method: 'POST', path: credit(), body: { amount: 12.5, reason: 'r' } }),
      400,
      'validation_failed',
    ],
    [
      '7 decimals',
      () => ({ method: 'POST', path: credit(), body: { amount: '1.1234567', reason: 'r' } }),
      400,
      'invalid_amount',
    ],
    [
      'negative',
      () => ({ method: 'POST', path: credit(), body: { amount: '-5.00', reason: 'r' } }),
      400,
      'invalid_amount',
    ],
    [
      'zero',
      () => ({ method: 'POST', path: credit(), body: { amount: '0', reason: 'r' } }),
      400,
      'invalid_amount',
    ],
    [
      'huge',
      () => ({ method: 'POST', path: credit(), body: { amount: '99999999999999999999', reason: 'r' } }),
      400,
      'invalid_amount',
    ],
    [
      'exponent',
      () => ({ method: 'POST', path: credit(), body: { amount: '1e3', reason: 'r' } }),
      400,
      'invalid_amount',
    ],
    [
      'missing amount',
      () => ({ method: 'POST', path: credit(), body: { reason: 'r' } }),
      400,
      'validation_failed',
    ],
    [
      'extra field',
      () => ({ method: 'POST', path: credit(), body: { amount: '1.00', reason: 'r', balance: '1000000' } }),
      400,
      'validation_failed',
    ],
    [
      'empty reason',
      () => ({ method: 'POST', path: credit(), body: { amount: '1.00', reason: '' } }),
      400,
      'validation_failed',
    ],
    [
      'array body',
      () => ({ method: 'POST', path: credit(), body: [{ amount: '1.00', reason: 'r' }] }),
      400,
      'validation_failed',
    ],
    [
      'malformed JSON',
      () => ({ method: 'POST', path: credit(), rawBody: '{"amount": "1.00",' }),
      400,
      'malformed_json',
    ],
    [
      'bad Idempotency-Key',
      () => ({
        method: 'POST',
        path: credit(),
        body: { amount: '1.00', reason: 'r' },
        headers: { 'Idempotency-Key': 'x'.repeat(300) },
      }),
      400,
      'invalid_idempotency_key',
    ],
    [
      'huge body',
      () => ({
        method: 'POST',
        path: credit(),
        rawBody: JSON.stringify({ amount: '1.00', reason: 'x'.repeat(200_000) }),
      }),
      413,
      'payload_too_large',
    ],
    [
      'short password',
      () => ({
        method: 'POST',
        path: '/api/auth/register',
        body: { email: 'x@example.com', password: 'short', name: 'X' },
        token: '',
      }),
      400,
      'validation_failed',
    ],
    [
      'bad email',
      () => ({
        method: 'POST',
        path: '/api/auth/register',
        body: { email: 'not-an-email', password: 'long-enough-pass', name: 'X' },
        token: '',
      }),
      400,
      'validation_failed',
    ],
    [
      'register with extra field',
      () => ({
        method: 'POST',
        path: '/api/auth/register',
        body: { email: 'y@example.com', password: 'long-enough-pass', name: 'Y', platformRole: 'admin' },
        token: '',
      }),
      400,
      'validation_failed',
    ],
    [
      'bad role',
      () => ({
        method: 'POST',
        path: `/api/organizations/${alice.organization.id}/invitations`,
        body: { email: 'bob@example.com', role: 'god' },
        token: alice.token,
      }),
      400,
      'invalid_role',
    ],
    [
      'unknown permission',
      () => ({
        method: 'POST',
        path: `/api/organizations/${alice.organization.id}/roles`,
        body: { name: 'Root', permissions: ['root'] },
        token: alice.token,
      }),
      400,
      'validation_failed',
    ],
    [
      'malformed invitation token',
      () => ({ method: 'POST', path: '/api/invitations/not-a-token/accept', token: alice.token }),
      404,
      'invitation_not_found',
    ],
    [
      'empty org name',
      () => ({ method: 'POST', path: '/api/organizations', body: { name: '' }, token: alice.token }),
      400,
      'validation_failed',
    ],
    [
      'name is a number',
      () => ({
        method: 'PATCH',
        path: `/api/organizations/${alice.organization.id}`,
        body: { name: 42 },
        token: alice.token,
      }),
      400,
      'validation_failed',
    ],
    [
      'bad cursor',
      () => ({
        method: 'GET',
        path: `/api/organizations/${alice.organization.id}/wallet/transactions?cursor=bm9wZQ`,
        token: alice.token,
      }),
      400,
      'invalid_cursor',
    ],
    [
      'bad limit',
      () => ({
        method: 'GET',
        path: `/api/organizations/${alice.organization.id}/wallet/transactions?limit=1000`,
        token: alice.token,
      }),
      400,
      'validation_failed',
    ],
    [
      'unknown query param',
      () => ({
        method: 'GET',
        path: `/api/organizations/${alice.organization.id}/wallet/transactions?sql=1`,
        token: alice.token,
      }),
      400,
      'validation_failed',
    ],
    [
      'bad X-Min-Position',
      () => ({
        method: 'GET',
        path: '/api/me',
        headers: { 'X-Min-Position': 'yesterday' },
        token: alice.token,
      }),
      400,
      'invalid_min_position',
    ],
    [
      'unknown route',
      () => ({ method: 'GET', path: '/api/nothing-here', token: alice.token }),
      404,
      'not_found',
    ],
    ['wrong method', () => ({ method: 'DELETE', path: '/api/me', token: alice.token }), 404, 'not_found'],
    // PostgreSQL cannot hold NUL in text or jsonb: refused at the door, never a 500 from deep inside.
    [
      'NUL in a JSON string',
      () => ({
        method: 'POST',
        path: '/api/auth/register',
        body: { email: 'nul@example.com', password: 'correct-horse-battery', name: 'a\u0000b' },
        token: '',
      }),
      400,
      'invalid_character',
    ],
    [
      'NUL in a path',
      () => ({ method: 'GET', path: '/api/admin/streams/wallet-%00' }),
      400,
      'invalid_character',
    ],
    ['NUL in a query', () => ({ method: 'GET', path: '/api/admin/users?q=a%00' }), 400, 'invalid_character'],
    [
      'NUL in a staff reason',
      () => ({ method: 'POST', path: '/api/admin/projections/users/rebuild', body: { reason: 'a\u0000' } }),
      400,
      'invalid_character',
    ],
  ];

  test.each(cases)('%s', async (_name, make, status, error) => {
    const c = make();
    const before = await api.eventCount();
    const res = await api.request(c.method, c.path, {
      body: c.body,
      rawBody: c.rawBody,
      headers: c.headers,
      token: c.token === undefined ? adminToken : c.token || undefined,
    });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ error, message: expect.any(String) });
    expect(res.body).toHaveProperty('details');
    expect(await api.eventCount()).toBe(before);
  });

  test('validation details name the field', async () => {
    const res = await api.request('POST', credit(), { token: adminToken, body: { amount: 25, reason: 'r' } });
    expect(res.body.details.fields).toEqual([
      { field: 'amount', problems: [expect.stringContaining('decimal string')] },
    ]);
  });
});

describe('API keys and impersonation: who may call the new routes', () => {
  const createKey = (token: string, organizationId = alice.organization.id) =>
    api.request('POST', '/api/me/api-keys', {
      token,
      body: { name: 'matrix', organizationId, permissions: ['vps_view'] },
    });
  let aliceKey: { key: string; id: string };
  beforeAll(async () => {
    const res = await createKey(alice.token);
    expect(res.status).toBe(201);
    aliceKey = res.body;
  });

  const routes: Array<[string, () => string, () => unknown]> = [
    [
      'POST',
      () => '/api/me/api-keys',
      () => ({ name: 'k', organizationId: alice.organization.id, permissions: ['vps_view'] }),
    ],
    ['GET', () => '/api/me/api-keys', () => undefined],
    ['DELETE', () => `/api/me/api-keys/${aliceKey.id}`, () => undefined],
    ['POST', () => '/api/me/impersonation/stop', () => undefined],
    ['POST', () => `/api/admin/users/${alice.user.id}/impersonate`, () => ({ reason: 'matrix' })],
  ];

  test.each(routes)(
    '%s %s: anonymous → 401, an API key → 403, nothing appended',
    async (method, path, body) => {
      const before = await api.eventCount();
      const anonymous = await api.request(method, path(), { body: body() });
      expect(anonymous.status).toBe(401);
      const withKey = await api.request(method, path(), { token: aliceKey.key, body: body() });
      expect(withKey.status).toBe(403);
      expect(withKey.body.error).toBe('api_key_not_allowed');
      expect(await api.eventCount()).toBe(before);
    },
  );

  test("another user's key is a 404 to revoke, and a 404 to create for an organization one is not in", async () => {
    const before = await api.eventCount();
    const revoke = await api.request('DELETE', `/api/me/api-keys/${aliceKey.id}`, { token: bob.token });
    expect(revoke.status).toBe(404);
    expect((await createKey(bob.token, alice.organization.id)).status).toBe(404);
    const listed = await api.request('GET', '/api/me/api-keys', { token: bob.token });
    expect(listed.text).not.toContain(aliceKey.id);
    expect(await api.eventCount()).toBe(before);
  });

  test("a key reaches only its organization's routes: another tenant's are 404", async () => {
    const res = await api.request('GET', `/api/organizations/${bob.organization.id}/wallet`, {
      token: aliceKey.key,
    });
    expect(res.status).toBe(404);
  });

  test('a customer cannot impersonate (403); stopping needs an impersonation session (409)', async () => {
    const before = await api.eventCount();
    const res = await api.request('POST', `/api/admin/users/${bob.user.id}/impersonate`, {
      token: alice.token,
      body: { reason: 'curious' },
    });
    expect(res.status).toBe(403);
    const stop = await api.request('POST', '/api/me/impersonation/stop', { token: alice.token });
    expect(stop.status).toBe(409);
    expect(await api.eventCount()).toBe(before);
  });
});

describe('platform endpoints', () => {
  test('/api/openapi.json lists every route', async () => {
    const res = await api.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const routes = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /api/auth/register',
        'POST /api/auth/login',
        'POST /api/auth/login/mfa',
        'POST /api/auth/logout',
        'POST /api/auth/email-verification',
        'POST /api/auth/email-verification/resend',
        'POST /api/auth/password-reset',
        'POST /api/auth/password-reset/confirm',
        'GET /api/me',
        'GET /api/me/memberships',
        'POST /api/me/password',
        'GET /api/me/sessions',
        'DELETE /api/me/sessions',
        'DELETE /api/me/sessions/{sessionId}',
        'POST /api/me/2fa/setup',
        'POST /api/me/2fa/enable',
        'POST /api/me/2fa/disable',
        'POST /api/me/active-organization',
        'GET /api/me/mail-preferences',
        'PUT /api/me/mail-preferences',
        'POST /api/me/api-keys',
        'GET /api/me/api-keys',
        'DELETE /api/me/api-keys/{keyId}',
        'POST /api/me/impersonation/stop',
        'POST /api/admin/users/{userId}/impersonate',
        'POST /api/organizations',
        'GET /api/organizations',
        'GET /api/organizations/{orgId}',
        'PATCH /api/organizations/{orgId}',
        'GET /api/organizations/{orgId}/members',
        'PATCH /api/organizations/{orgId}/members/{userId}',
        'DELETE /api/organizations/{orgId}/members/{userId}',
        'GET /api/organizations/{orgId}/invitations',
        'POST /api/organizations/{orgId}/invitations',
        'DELETE /api/organizations/{orgId}/invitations/{invitationId}',
        'GET /api/invitations/{token}',
        'POST /api/invitations/{token}/accept',
        'POST /api/invitations/{token}/decline',
        'GET /api/organizations/{orgId}/roles',
        'POST /api/organizations/{orgId}/roles',
        'PATCH /api/organizations/{orgId}/roles/{roleId}',
        'DELETE /api/organizations/{orgId}/roles/{roleId}',
        'GET /api/organizations/{orgId}/wallet',
        'GET /api/organizations/{orgId}/wallet/transactions',
        'GET /api/organizations/{orgId}/wallet/spend',
        'POST /api/organizations/{orgId}/payments',
        'GET /api/organizations/{orgId}/payments',
        'GET /api/organizations/{orgId}/payments/{paymentId}',
        'POST /api/organizations/{orgId}/payments/{paymentId}/capture',
        'POST /api/webhooks/paypal',
        'POST /api/webhooks/stripe',
        'GET /api/admin/payments',
        'GET /api/organizations/{orgId}/invoices',
        'GET /api/organizations/{orgId}/invoices/{invoiceId}',
        'GET /api/organizations/{orgId}/invoices/{invoiceId}/pdf',
        'GET /api/organizations/{orgId}/statements/{period}',
        'GET /api/organizations/{orgId}/statements/{period}/pdf',
        'GET /api/organizations/{orgId}/billing-profile',
        'PUT /api/organizations/{orgId}/billing-profile',
        'GET /api/admin/tax-rates',
        'PUT /api/admin/tax-rates',
        'GET /api/admin/invoices',
        'POST /api/admin/payments/{paymentId}/refunds',
        'POST /api/admin/organizations/{orgId}/wallet/credits',
        'POST /api/admin/plans',
        'GET /api/admin/plans',
        'PATCH /api/admin/plans/{planId}',
        'GET /api/admin/health',
        'GET /api/admin/events',
        'GET /api/admin/events/export',
        'GET /api/admin/streams/{streamId}',
        'GET /api/admin/correlations/{correlationId}',
        'GET /api/admin/users',
        'GET /api/admin/users/{userId}',
        'GET /api/admin/organizations',
        'GET /api/admin/organizations/{orgId}',
        'POST /api/admin/billing/reconciliations',
        'GET /api/admin/billing/reconciliations',
        'GET /api/admin/billing/reconciliations/{reconciliationId}',
        'GET /api/admin/billing/reconciliations/{reconciliationId}/lines.csv',
        'POST /api/admin/billing/reconciliations/{reconciliationId}/lines/{lineId}/resolve',
        'GET /api/vps/plans',
        'GET /api/vps/regions',
        'GET /api/vps/images',
        'POST /api/organizations/{orgId}/vps',
        'GET /api/organizations/{orgId}/vps',
        'GET /api/organizations/{orgId}/vps/{vpsId}',
        'DELETE /api/organizations/{orgId}/vps/{vpsId}',
        'POST /api/organizations/{orgId}/vps/{vpsId}/actions',
        'POST /api/organizations/{orgId}/vps/{vpsId}/console-tickets',
        'GET /api/organizations/{orgId}/vps/{vpsId}/billing',
        'PATCH /api/organizations/{orgId}/vps/{vpsId}',
        'PUT /api/organizations/{orgId}/vps/{vpsId}/reverse-dns',
        // ---- backups and firewall (issue 15) ----
        'GET /api/organizations/{orgId}/vps/{vpsId}/backups',
        'POST /api/organizations/{orgId}/vps/{vpsId}/snapshots',
        'POST /api/organizations/{orgId}/vps/{vpsId}/backups/{backupId}/restore',
        'GET /api/organizations/{orgId}/vps/{vpsId}/firewall',
        'PUT /api/organizations/{orgId}/vps/{vpsId}/firewall',
        'GET /api/admin/firewall-policy',
        'PUT /api/admin/firewall-policy',
        'GET /api/organizations/{orgId}/vps/{vpsId}/transfer',
        'GET /api/organizations/{orgId}/transfer',
        'GET /api/admin/billing/transfer-price',
        'PUT /api/admin/billing/transfer-price',
        // ---- rebuild, resize, backups (issue 15) ----
        'POST /api/organizations/{orgId}/vps/{vpsId}/rebuild',
        'POST /api/organizations/{orgId}/vps/{vpsId}/resize',
        'POST /api/organizations/{orgId}/vps/{vpsId}/backups',
        'DELETE /api/organizations/{orgId}/vps/{vpsId}/backups',
        'GET /api/organizations/{orgId}/ssh-keys',
        'POST /api/organizations/{orgId}/ssh-keys',
        'DELETE /api/organizations/{orgId}/ssh-keys/{keyId}',
        'GET /api/health',
        'GET /metrics',
        'GET /api/admin/provisioning',
        'POST /api/admin/provisioning/{vpsId}/retry',
        'POST /api/admin/provisioning/{vpsId}/abort',
        'POST /api/admin/provisioning/{vpsId}/terminate',
        'POST /api/admin/provisioning/{vpsId}/first-hour-refund',
        'GET /api/admin/projections',
        'GET /api/admin/projections/{name}',
        'POST /api/admin/projections/{name}/rebuild',
        'GET /api/admin/mail',
        'POST /api/live/tickets',
      ].sort(),
    );
    expect(res.body.components.schemas).toHaveProperty('CreditWalletRequestDto');
    const docs = await fetch(`${api.url}/api/docs`);
    expect(docs.status).toBe(200);
  });

  test('the document built offline (lint, portal types) is the one served', async () => {
    const res = await api.request('GET', '/api/openapi.json');
    expect(res.body).toEqual(await buildOfflineOpenApiDocument());
  });

  test('/api/admin/health reports the database, the event store and every projection', async () => {
    // Read after every event so far (the staff sign-in's too), so each projection has caught up.
    const head = await api.eventStore.headPosition();
    const res = await api.request('GET', '/api/admin/health', {
      token: adminToken,
      headers: { 'X-Min-Position': formatPosition(head!) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { status: 'up' },
      eventStore: { status: 'up', kind: 'postgres' },
    });
    expect(res.body.projections.map((p: { name: string }) => p.name).sort()).toEqual(
      [
        'memberships',
        'organizations',
        'users',
        'wallet-transactions',
        'wallets',
        'plans',
        'vps-servers',
        'event-log',
        'billing-reconciliations',
        'payments',
        'invoices',
        'billing-profiles',
        'tax-rates',
        'user-sessions',
        'organization-roles',
        'invitations',
        'api-keys',
        'ssh-keys',
        'firewall-policy',
      ].sort(),
    );
    for (const p of res.body.projections) {
      expect(p).toEqual(
        expect.objectContaining({ lagEvents: 0, checkpoint: expect.stringMatching(/^\d+\/\d+$/) }),
      );
    }
  });

  test('/metrics (outside /api) exposes projection lag', async () => {
    const res = await fetch(`${api.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/stratus_projection_lag_events\{projection="wallets"\} \d+/);
    expect(text).toMatch(/stratus_projection_lag_seconds\{projection="users"\} [\d.]+/);
    expect(text).toContain('stratus_api_http_requests_total');
    expect((await fetch(`${api.url}/api/metrics`)).status).toBe(404);
  });
});
