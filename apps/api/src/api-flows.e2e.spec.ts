import { invitationToken, verifyEmail } from './modules/organizations/testing/invitations.fixture';
import { startTestApi, TEST_ADMIN, type TestApi, signInAdmin } from './testing/api-test-app';

let api: TestApi;
let adminToken: string;

async function register(email: string, name = 'User') {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name },
  });
  expect(res.status).toBe(201);
  return res.body as {
    token: string;
    user: { id: string };
    organization: { id: string; name: string };
    position: string;
  };
}

beforeAll(async () => {
  api = await startTestApi({
    overrides: {
      authThrottle: {
        loginAccount: { free: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 60_000 },
        loginAddress: { free: 1000, baseDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 60_000 },
      },
    },
  });
  adminToken = (await signInAdmin(api)).token;
});
afterAll(async () => {
  await api?.close();
});

describe('register → login → me → credit → wallet and ledger', () => {
  test('the whole path, reading our own writes with X-Min-Position', async () => {
    const reg = await register('Ada@Example.com', 'Ada');
    expect(reg.user).toMatchObject({ email: 'ada@example.com', name: 'Ada', platformRole: 'customer' });
    expect(reg.organization).toMatchObject({ name: "Ada's organization", role: 'owner' });
    expect(reg.position).toMatch(/^\d+\/\d+$/);

    const again = await api.request('POST', '/api/auth/register', {
      body: { email: 'ada@example.com', password: 'another-password', name: 'Imposter' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('email_taken');

    const login = await api.request('POST', '/api/auth/login', {
      body: { email: 'ada@example.com', password: 'a-long-password-1' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(reg.user.id);
    const token = login.body.token as string;

    const me = await api.request('GET', '/api/me', { token, headers: { 'X-Min-Position': reg.position } });
    expect(me.status).toBe(200);
    expect(me.headers.get('x-projection-lag')).toBeNull();
    expect(me.body.activeOrganizationId).toBe(reg.organization.id);
    expect(me.body.memberships).toEqual([
      expect.objectContaining({
        organizationId: reg.organization.id,
        organizationName: "Ada's organization",
        role: 'owner',
      }),
    ]);
    expect(me.body.memberships[0].permissions).toContain('billing_manage');

    const orgId = reg.organization.id;
    const credit = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
      token: adminToken,
      body: { amount: '25.00', reason: 'Welcome credit' },
    });
    expect(credit.status).toBe(201);
    expect(credit.body).toMatchObject({ balance: '25.000000', transactionId: expect.any(String) });
    const credit2 = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
      token: adminToken,
      body: { amount: '0.000001', reason: 'One micro' },
    });
    expect(credit2.status).toBe(201);
    expect(credit2.body.balance).toBe('25.000001');

    const wallet = await api.request('GET', `/api/organizations/${orgId}/wallet`, {
      token,
      headers: { 'X-Min-Position': credit2.body.position },
    });
    expect(wallet.status).toBe(200);
    expect(wallet.body).toMatchObject({ balance: '25.000001', currency: 'USD' });

    const ledger = await api.request('GET', `/api/organizations/${orgId}/wallet/transactions?limit=1`, {
      token,
      headers: { 'X-Min-Position': credit2.body.position },
    });
    expect(ledger.status).toBe(200);
    expect(ledger.body.items).toHaveLength(1);
    expect(ledger.body.items[0]).toMatchObject({
      id: credit2.body.transactionId,
      type: 'WalletCredited',
      amount: '0.000001',
      balanceAfter: '25.000001',
      description: 'One micro',
    });
    expect(ledger.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api.request(
      'GET',
      `/api/organizations/${orgId}/wallet/transactions?limit=1&cursor=${ledger.body.nextCursor}`,
      { token },
    );
    expect(page2.status).toBe(200);
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual([credit.body.transactionId]);
    expect(page2.body.nextCursor).toBeNull();

    // Event metadata: actor, correlation, causation, clock from the API.
    const events = await api.eventStore.readStream(`wallet-${orgId}`);
    const credited = events.find((e) => e.id === credit.body.transactionId)!;
    expect(credited.metadata).toMatchObject({
      actor: { role: 'admin', ip: expect.any(String) },
      schemaVersion: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(credited.metadata.correlationId).toBe(credited.metadata.causationId);
  });

  test('X-Request-Id is echoed and becomes the correlation id', async () => {
    const reg = await api.request('POST', '/api/auth/register', {
      body: { email: 'corr@example.com', password: 'a-long-password-1', name: 'Corr' },
      headers: { 'X-Request-Id': 'req-abc-123' },
    });
    expect(reg.status).toBe(201);
    expect(reg.headers.get('x-request-id')).toBe('req-abc-123');
    const userEvents = await api.eventStore.readStream(`user-${reg.body.user.id}`);
    expect(userEvents[0].metadata.correlationId).toBe('req-abc-123');
    // Causal chain across streams: each event caused by the one before it.
    const claim = await api.eventStore.readStream('useremail-corr@example.com');
    expect(claim[0].metadata.causationId).toBe('req-abc-123');
    expect(userEvents[0].metadata.causationId).toBe(claim[0].id);
    const weird = await api.request('GET', '/api/health', {
      headers: { 'X-Request-Id': 'bad id with spaces' },
    });
    expect(weird.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('members of a second organization', () => {
  test('invite, accept, change role, remove, and the last owner stays', async () => {
    const owner = await register('owner@example.com', 'Owen');
    const member = await register('member@example.com', 'Mia');
    const created = await api.request('POST', '/api/organizations', {
      token: owner.token,
      body: { name: 'Second Org' },
    });
    expect(created.status).toBe(201);
    const orgId = created.body.organizationId as string;

    // Inviting an address without an account answers exactly as inviting one with an account.
    const unknown = await api.request('POST', `/api/organizations/${orgId}/invitations`, {
      token: owner.token,
      body: { email: 'nobody@example.com', role: 'member' },
    });
    expect(unknown.status).toBe(201);
    const invited = await api.request('POST', `/api/organizations/${orgId}/invitations`, {
      token: owner.token,
      body: { email: 'MEMBER@example.com', role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    expect(Object.keys(invited.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(invited.body).toMatchObject({ email: 'member@example.com', role: 'viewer', roleName: 'viewer' });
    // Nobody is a member without accepting.
    const notYet = await api.request('GET', `/api/organizations/${orgId}`, { token: member.token });
    expect(notYet.status).toBe(404);
    await verifyEmail(api, { token: member.token, email: 'member@example.com' }, member.user.id);
    const link = await invitationToken(api, orgId, 'member@example.com');
    const accepted = await api.request('POST', `/api/invitations/${link}/accept`, { token: member.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      organizationId: orgId,
      organizationName: 'Second Org',
      answer: 'accepted',
    });

    // Immediately a member (the guard folds the organization stream): no false 404.
    const asViewer = await api.request('GET', `/api/organizations/${orgId}`, { token: member.token });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.myRole).toBe('viewer');
    // A viewer lacks billing_view: 403 (membership is no secret to a member).
    const viewerWallet = await api.request('GET', `/api/organizations/${orgId}/wallet`, {
      token: member.token,
    });
    expect(viewerWallet.status).toBe(403);
    expect(viewerWallet.body.error).toBe('forbidden');
    const viewerRename = await api.request('PATCH', `/api/organizations/${orgId}`, {
      token: member.token,
      body: { name: 'Mine now' },
    });
    expect(viewerRename.status).toBe(403);

    const promoted = await api.request('PATCH', `/api/organizations/${orgId}/members/${member.user.id}`, {
      token: owner.token,
      body: { role: 'member' },
    });
    expect(promoted.status).toBe(200);
    const members = await api.request('GET', `/api/organizations/${orgId}/members`, {
      token: member.token,
      headers: { 'X-Min-Position': promoted.body.position },
    });
    expect(members.status).toBe(200);
    expect(members.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          userId: owner.user.id,
          role: 'owner',
          email: 'owner@example.com',
          name: 'Owen',
        }),
        expect.objectContaining({
          userId: member.user.id,
          role: 'member',
          email: 'member@example.com',
          name: 'Mia',
        }),
      ]),
    );
    const memberWallet = await api.request('GET', `/api/organizations/${orgId}/wallet`, {
      token: member.token,
    });
    expect(memberWallet.status).toBe(200);

    // A member (not owner) may not change roles.
    const selfPromote = await api.request('PATCH', `/api/organizations/${orgId}/members/${member.user.id}`, {
      token: member.token,
      body: { role: 'owner' },
    });
    expect(selfPromote.status).toBe(403);

    const demoteLastOwner = await api.request(
      'PATCH',
      `/api/organizations/${orgId}/members/${owner.user.id}`,
      {
        token: owner.token,
        body: { role: 'admin' },
      },
    );
    expect(demoteLastOwner.status).toBe(409);
    expect(demoteLastOwner.body.error).toBe('last_owner');
    const ownerLeaves = await api.request('DELETE', `/api/organizations/${orgId}/members/${owner.user.id}`, {
      token: owner.token,
    });
    expect(ownerLeaves.status).toBe(409);
    expect(ownerLeaves.body.error).toBe('last_owner');

    const renamed = await api.request('PATCH', `/api/organizations/${orgId}`, {
      token: owner.token,
      body: { name: 'Second Org Ltd' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Second Org Ltd');

    const switched = await api.request('POST', '/api/me/active-organization', {
      token: member.token,
      body: { organizationId: orgId },
    });
    expect(switched.status).toBe(200);
    const notMine = await api.request('POST', '/api/me/active-organization', {
      token: member.token,
      body: { organizationId: owner.organization.id },
    });
    expect(notMine.status).toBe(404);

    const removed = await api.request('DELETE', `/api/organizations/${orgId}/members/${member.user.id}`, {
      token: owner.token,
    });
    expect(removed.status).toBe(200);
    // Removal takes effect at once.
    const gone = await api.request('GET', `/api/organizations/${orgId}`, { token: member.token });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toBe('not_found');

    const mine = await api.request('GET', '/api/organizations', {
      token: owner.token,
      headers: { 'X-Min-Position': removed.body.position },
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((o: { name: string }) => o.name).sort()).toEqual([
      "Owen's organization",
      'Second Org Ltd',
    ]);
    expect(
      mine.body.items.find((o: { organizationId: string }) => o.organizationId === orgId).memberCount,
    ).toBe(1);
  });
});

describe('wallet credits under contention and retries', () => {
  test('20 concurrent credits all succeed and balance == sum of the ledger', async () => {
    const reg = await register('busy@example.com', 'Busy');
    const orgId = reg.organization.id;
    const amounts = Array.from({ length: 20 }, (_, i) => `${i + 1}.000001`);
    const results = await Promise.all(
      amounts.map((amount) =>
        api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
          token: adminToken,
          body: { amount, reason: 'load' },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(amounts.map(() => 201));
    const expected = '210.000020'; // 1+...+20 dollars and 20 micros
    const last = results
      .map((r) => r.body.position as string)
      .sort((a, b) => {
        const [ac, ap] = a.split('/').map(BigInt);
        const [bc, bp] = b.split('/').map(BigInt);
        return ac === bc ? (ap < bp ? -1 : 1) : ac < bc ? -1 : 1;
      })[19];
    const wallet = await api.request('GET', `/api/organizations/${orgId}/wallet`, {
      token: reg.token,
      headers: { 'X-Min-Position': last },
    });
    expect(wallet.body.balance).toBe(expected);
    const ledger = await api.request('GET', `/api/organizations/${orgId}/wallet/transactions?limit=100`, {
      token: reg.token,
      headers: { 'X-Min-Position': last },
    });
    expect(ledger.body.items).toHaveLength(20);
    const micros = ledger.body.items.reduce(
      (sum: bigint, i: { amount: string }) => sum + BigInt(i.amount.replace('.', '')),
      0n,
    );
    expect(micros).toBe(210_000_020n);
    // Every credit saw a distinct balance: none was computed from stale state.
    expect(new Set(ledger.body.items.map((i: { balanceAfter: string }) => i.balanceAfter)).size).toBe(20);
    expect(ledger.body.items[0].balanceAfter).toBe(expected);
  });

  test('Idempotency-Key: a retry is acknowledged, not doubled; another body with the key is refused', async () => {
    const reg = await register('idem@example.com', 'Idem');
    const orgId = reg.organization.id;
    const send = (amount: string) =>
      api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
        token: adminToken,
        body: { amount, reason: 'Refund of invoice 42' },
        headers: { 'Idempotency-Key': 'invoice-42' },
      });
    const first = await send('10.00');
    expect(first.status).toBe(201);
    const before = await api.eventCount();
    const retry = await send('10.00');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const parallel = await Promise.all([send('10.00'), send('10.00')]);
    expect(parallel.map((r) => r.body.transactionId)).toEqual([
      first.body.transactionId,
      first.body.transactionId,
    ]);
    const misuse = await send('11.00');
    expect(misuse.status).toBe(409);
    expect(misuse.body.error).toBe('idempotency_key_reused');
    expect(await api.eventCount()).toBe(before);
    const wallet = await api.request('GET', `/api/organizations/${orgId}/wallet`, {
      token: reg.token,
      headers: { 'X-Min-Position': first.body.position },
    });
    expect(wallet.body.balance).toBe('10.000000');
  });

  test('crediting an unknown organization is a 404; non-admins get 403', async () => {
    const res = await api.request(
      'POST',
      '/api/admin/organizations/00000000-0000-4000-8000-000000000000/wallet/credits',
      {
        token: adminToken,
        body: { amount: '1.00', reason: 'x' },
      },
    );
    expect(res.status).toBe(404);
    const customer = await register('sneaky@example.com');
    const forbidden = await api.request(
      'POST',
      `/api/admin/organizations/${customer.organization.id}/wallet/credits`,
      {
        token: customer.token,
        body: { amount: '1000.00', reason: 'free money' },
      },
    );
    expect(forbidden.status).toBe(403);
  });
});

describe('login', () => {
  test('unknown email and wrong password get the same 401', async () => {
    await register('victim@example.com');
    const wrong = await api.request('POST', '/api/auth/login', {
      body: { email: 'victim@example.com', password: 'not-the-password' },
    });
    const unknown = await api.request('POST', '/api/auth/login', {
      body: { email: 'ghost@example.com', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toBe('invalid_credentials');
  });

  test('repeated failures on one account are throttled with 429 and Retry-After, even with the right password', async () => {
    await register('throttled@example.com');
    for (let i = 0; i < 3; i++) {
      const res = await api.request('POST', '/api/auth/login', {
        body: { email: 'throttled@example.com', password: 'wrong-password' },
      });
      expect(res.status).toBe(401);
    }
    const blocked = await api.request('POST', '/api/auth/login', {
      body: { email: 'throttled@example.com', password: 'a-long-password-1' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other accounts are unaffected.
    const other = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(other.status).toBe(200);
  });
});
