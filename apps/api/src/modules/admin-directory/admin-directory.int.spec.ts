import { startTestApi, TEST_ADMIN, type TestApi, signInAdmin } from '../../testing/api-test-app';

let api: TestApi;
let adminToken: string;
let ada: { token: string; userId: string; orgId: string; position: string };
let customerToken: string;

async function register(email: string, name: string) {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name },
  });
  expect(res.status).toBe(201);
  return res.body;
}

beforeAll(async () => {
  api = await startTestApi();
  adminToken = (await signInAdmin(api)).token;
  const a = await register('ada@example.com', 'Ada Lovelace');
  const credit = await api.request('POST', `/api/admin/organizations/${a.organization.id}/wallet/credits`, {
    token: adminToken,
    body: { amount: '12.50', reason: 'Welcome' },
    headers: { 'Idempotency-Key': 'welcome-ada' },
  });
  expect(credit.status).toBe(201);
  ada = { token: a.token, userId: a.user.id, orgId: a.organization.id, position: credit.body.position };
  customerToken = (await register('grace_50%@example.com', 'Grace Hopper')).token;
  // The read models fill asynchronously (X-Min-Position waits 2 s at most): wait until they hold all of it.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [users, org] = await Promise.all([
      api.request('GET', '/api/admin/users', { token: adminToken }),
      api.request('GET', `/api/admin/organizations/${ada.orgId}`, { token: adminToken }),
    ]);
    if (users.body?.items?.length === 3 && org.body?.wallet?.transactionCount === 1) break;
    if (Date.now() > deadline)
      throw new Error(`read models not filled: ${JSON.stringify([users.body, org.body])}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  await api?.close();
});

const get = (path: string, token = adminToken) =>
  api.request('GET', path, { token, headers: { 'X-Min-Position': ada.position } });

describe('GET /api/admin/users', () => {
  test('finds users by part of the email or name, case-insensitively, newest first', async () => {
    const byName = await get('/api/admin/users?q=LOVELACE');
    expect(byName.status).toBe(200);
    expect(byName.body.items).toEqual([
      {
        id: ada.userId,
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        platformRole: 'customer',
        createdAt: expect.any(String),
      },
    ]);
    const all = await get('/api/admin/users');
    expect(all.body.items.map((u: { email: string }) => u.email)).toEqual([
      'grace_50%@example.com',
      'ada@example.com',
      TEST_ADMIN.email,
    ]);
  });

  test('% and _ are literal characters, not wildcards', async () => {
    const res = await get('/api/admin/users?q=_50%25');
    expect(res.body.items.map((u: { name: string }) => u.name)).toEqual(['Grace Hopper']);
    const none = await get('/api/admin/users?q=a_a');
    expect(none.body.items).toEqual([]);
  });

  test('a whole id finds its user; limit bounds the page; a bad limit is a 400', async () => {
    const byId = await get(`/api/admin/users?q=${ada.userId.toUpperCase()}`);
    expect(byId.body.items.map((u: { id: string }) => u.id)).toEqual([ada.userId]);
    expect((await get('/api/admin/users?limit=1')).body.items).toHaveLength(1);
    const bad = await get('/api/admin/users?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_failed');
  });

  test('one user with their organizations; unknown or malformed ids are 404', async () => {
    const res = await get(`/api/admin/users/${ada.userId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ada.userId,
      activeOrganizationId: ada.orgId,
      memberships: [{ organizationId: ada.orgId, role: 'owner', organizationName: expect.any(String) }],
    });
    expect((await get('/api/admin/users/00000000-0000-4000-8000-000000000000')).body.error).toBe(
      'user_not_found',
    );
    expect((await get('/api/admin/users/nope')).status).toBe(404);
  });
});

describe('GET /api/admin/organizations', () => {
  test("finds an organization by a member's email, with its balance", async () => {
    const res = await get('/api/admin/organizations?q=ada@EXAMPLE');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ id: ada.orgId, memberCount: 1, balance: '12.500000' }),
    ]);
  });

  test('one organization: wallet, members, servers, newest ledger entries', async () => {
    const res = await get(`/api/admin/organizations/${ada.orgId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ada.orgId,
      wallet: { balance: '12.500000', currency: 'USD', transactionCount: 1 },
      members: [{ userId: ada.userId, email: 'ada@example.com', role: 'owner' }],
      servers: [],
      recentTransactions: [{ type: 'WalletCredited', amount: '12.500000', reference: 'welcome-ada' }],
    });
    expect((await get('/api/admin/organizations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

test('customers get 403, anonymous callers 401', async () => {
  for (const path of [
    '/api/admin/users',
    '/api/admin/organizations',
    `/api/admin/organizations/${ada.orgId}`,
  ]) {
    expect((await get(path, customerToken)).status).toBe(403);
    expect((await api.request('GET', path)).status).toBe(401);
  }
  expect((await get(`/api/admin/users/${ada.userId}`, ada.token)).status).toBe(403);
});
