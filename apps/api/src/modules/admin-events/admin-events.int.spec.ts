/**
 * The admin event history against the real API and PostgreSQL: customers and credits created through the
 * API, a server recorded through the vps decider as the workflows record it, then every endpoint read back.
 */
import { streams, vpsDecider, type VpsCommand } from '@stratus/domain';
import { v4 as uuidv4 } from 'uuid';
import { CommandExecutor } from '@stratus/eventstore';
import { CommandContext } from '../../shared/request-context/command-context';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';

jest.setTimeout(120_000);

interface Item {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  eventId: string;
  data: Record<string, unknown>;
  metadata: {
    actor: {
      userId: string;
      role: string;
      impersonatorId: string | null;
      apiKeyId: string | null;
      ip: string | null;
      userAgent: string | null;
    };
    correlationId: string;
    causationId: string;
    occurredAt: string;
  };
}

let api: TestApi;
let adminToken: string;
let adminId: string;
let alice: { token: string; userId: string; orgId: string };
let bob: { token: string; userId: string; orgId: string };
let vpsId: string;
const ROOT_CIPHERTEXT = 'v1:not-a-real-ciphertext-4242';

async function register(email: string) {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: email.split('@')[0] },
    headers: { 'User-Agent': 'audit-test/1.0' },
  });
  expect(res.status).toBe(201);
  return {
    token: res.body.token as string,
    userId: res.body.user.id as string,
    orgId: res.body.organization.id as string,
  };
}

async function credit(orgId: string, amount: string) {
  const res = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
    token: adminToken,
    body: { amount, reason: 'audit test' },
  });
  expect(res.status).toBe(201);
  return res.body as { transactionId: string; balance: string; position: string };
}

async function recordServer(organizationId: string): Promise<string> {
  const executor = api.app.get(CommandExecutor);
  const id = uuidv4();
  const run = (body: Omit<VpsCommand, 'metadata'>) =>
    executor.execute({
      streamId: streams.vps(id),
      decider: vpsDecider,
      context: CommandContext.system(`provision-${id}`),
      command: (_state, metadata) => ({ ...body, metadata }) as VpsCommand,
    });
  await run({
    type: 'RequestVps',
    data: {
      vpsId: id,
      organizationId,
      label: 'audit-web',
      planId: 'plan-test',
      providerPlanId: 'g6-nanode-1',
      region: 'us-east',
      image: 'linode/debian12',
      backups: false,
      sshKeyIds: [],
      authorizedKeys: [],
      encryptedRootPassword: ROOT_CIPHERTEXT,
      hourlyPrice: 8219n,
      monthlyPrice: 6_000_000n,
      idempotencyKey: id,
      workflowId: `provision-${id}`,
    },
  } as Omit<VpsCommand, 'metadata'>);
  await run({
    type: 'ActivateVps',
    data: {
      providerInstanceId: 'inst-1',
      ipv4: '203.0.113.7',
      billingWorkflowId: `billing-${id}`,
      billedUntil: '2026-01-01T01:00:00.000Z',
    },
  } as Omit<VpsCommand, 'metadata'>);
  return id;
}

/** Polls until the event log holds every stored event and the server list knows the server. */
async function caughtUp(): Promise<void> {
  const connection = api.orm.em.getConnection();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [log] = await connection.execute<{ n: number }[]>('select count(*)::int as n from event_log');
    const [servers] = await connection.execute<{ n: number }[]>(
      'select count(*)::int as n from vps_servers where id = ?',
      [vpsId],
    );
    if (log.n === (await api.eventCount()) && servers.n === 1) return;
    if (Date.now() > deadline)
      throw new Error(`event_log has ${log.n} rows, store ${await api.eventCount()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** As the admin unless another token (or null: anonymous) is given. */
const get = (path: string, token: string | null = adminToken) =>
  api.request('GET', path, { token: token ?? undefined });

async function all(query: string): Promise<Item[]> {
  const res = await get(`/api/admin/events?limit=500${query ? `&${query}` : ''}`);
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items as Item[];
}

beforeAll(async () => {
  api = await startTestApi();
  const admin = await signInAdmin(api);
  adminToken = admin.token;
  adminId = admin.user.id;
  alice = await register('alice@audit.test');
  bob = await register('bob@audit.test');
  await credit(alice.orgId, '10.00');
  await credit(alice.orgId, '5.00');
  await credit(alice.orgId, '2.50');
  await credit(bob.orgId, '1.00');
  vpsId = await recordServer(alice.orgId);
  await caughtUp();
});

afterAll(async () => {
  await api?.close();
});

describe('access', () => {
  const paths = () => [
    '/api/admin/events',
    '/api/admin/events/export',
    `/api/admin/streams/${streams.wallet(alice.orgId)}`,
    '/api/admin/correlations/whatever',
  ];

  test('anonymous callers get 401, customers 403, on every endpoint', async () => {
    for (const path of paths()) {
      const anonymous = await get(path, null);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
      const customer = await get(path, alice.token);
      expect({ path, status: customer.status, error: customer.body?.error }).toEqual({
        path,
        status: 403,
        error: 'forbidden',
      });
    }
  });
});

describe('GET /api/admin/events', () => {
  test('items carry position, stream, revision, type, id, redacted data and who/when/from where', async () => {
    const items = await all(`stream=${streams.user(alice.userId)}&type=UserRegistered`);
    expect(items).toHaveLength(1);
    expect(items[0]).toEqual({
      position: expect.stringMatching(/^\d+\/\d+$/),
      streamId: streams.user(alice.userId),
      revision: 0,
      type: 'UserRegistered',
      eventId: expect.any(String),
      data: expect.objectContaining({ userId: alice.userId, passwordHash: '[redacted]' }),
      metadata: {
        actor: {
          userId: alice.userId,
          role: 'customer',
          impersonatorId: null,
          apiKeyId: null,
          ip: expect.any(String),
          userAgent: 'audit-test/1.0',
        },
        correlationId: expect.any(String),
        causationId: expect.any(String),
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
  });

  test('no password hash or root-password ciphertext anywhere in the whole history', async () => {
    const res = await get('/api/admin/events?limit=500');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('$argon2');
    expect(res.text).not.toContain(ROOT_CIPHERTEXT);
    const requested = (res.body.items as Item[]).find((i) => i.type === 'VpsRequested');
    expect(requested?.data.encryptedRootPassword).toBe('[redacted]');
  });

  test("organization: its own streams, its wallet and its servers' events (which carry no organization)", async () => {
    const items = await all(`organizationId=${alice.orgId}`);
    const streamIds = new Set(items.map((i) => i.streamId));
    // The user stream's ActiveOrganizationSelected names the organization in its data.
    expect([...streamIds].sort()).toEqual(
      [
        streams.organization(alice.orgId),
        streams.wallet(alice.orgId),
        streams.vps(vpsId),
        streams.user(alice.userId),
      ].sort(),
    );
    expect(items.filter((i) => i.streamId === streams.user(alice.userId)).map((i) => i.type)).toEqual([
      'ActiveOrganizationSelected',
    ]);
    expect(items.map((i) => i.type)).toEqual(expect.arrayContaining(['VpsRequested', 'VpsActivated']));
    expect(items.some((i) => i.streamId.includes(bob.orgId))).toBe(false);
    expectAscending(items);
  });

  test('organization + type, several types, stream prefix, actor, correlation, time range', async () => {
    const credits = await all(`organizationId=${alice.orgId}&type=WalletCredited`);
    expect(credits.map((i) => i.data.amount)).toEqual(['10.000000', '5.000000', '2.500000']);
    const vpsOnly = await all(`organizationId=${alice.orgId}&type=VpsActivated,WalletOpened`);
    expect(vpsOnly.map((i) => i.type).sort()).toEqual(['VpsActivated', 'WalletOpened']);
    const repeated = await all(`organizationId=${alice.orgId}&type=VpsActivated&type=WalletOpened`);
    expect(repeated).toEqual(vpsOnly);

    const wallets = await all('streamPrefix=wallet-');
    expect(wallets.length).toBeGreaterThan(0);
    expect(wallets.every((i) => i.streamId.startsWith('wallet-'))).toBe(true);

    const byAdmin = await all(`actorUserId=${adminId}&type=WalletCredited`);
    expect(byAdmin).toHaveLength(4);
    expect(byAdmin.every((i) => i.metadata.actor.role === 'admin')).toBe(true);

    const correlation = credits[1].metadata.correlationId;
    const one = await all(`correlationId=${encodeURIComponent(correlation)}`);
    expect(one.map((i) => i.eventId)).toEqual([credits[1].eventId]);

    const second = credits[1].metadata.occurredAt;
    const third = credits[2].metadata.occurredAt;
    const range = await all(
      `organizationId=${alice.orgId}&type=WalletCredited&from=${encodeURIComponent(second)}&to=${encodeURIComponent(third)}`,
    );
    // from inclusive, to exclusive (unless both fall in the same millisecond)
    expect(range.map((i) => i.eventId)).toContain(credits[1].eventId);
    expect(range.map((i) => i.eventId)).not.toContain(credits[0].eventId);
  });

  test('paging forwards and backwards covers every event exactly once', async () => {
    const everything = await all('');
    expect(everything.length).toBe(await api.eventCount());
    expectAscending(everything);

    const forwards: Item[] = [];
    let cursor: string | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(100);
      const res = await get(`/api/admin/events?limit=3${cursor ? `&after=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ direction: 'forwards', limit: 3 });
      forwards.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (cursor === null) break;
      expect(res.body.items).toHaveLength(3);
    }
    expect(forwards.map((i) => i.eventId)).toEqual(everything.map((i) => i.eventId));

    const backwards: Item[] = [];
    cursor = null;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(100);
      const query: string = cursor ? `before=${cursor}` : 'direction=backwards';
      const res = await get(`/api/admin/events?limit=4&${query}`);
      expect(res.status).toBe(200);
      backwards.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (cursor === null) break;
    }
    expect(backwards.map((i) => i.eventId)).toEqual(everything.map((i) => i.eventId).reverse());

    const filtered = await get(`/api/admin/events?organizationId=${alice.orgId}&limit=2&direction=backwards`);
    const rest = await get(
      `/api/admin/events?organizationId=${alice.orgId}&limit=500&before=${filtered.body.nextCursor}`,
    );
    const all_ = await all(`organizationId=${alice.orgId}`);
    expect([...filtered.body.items, ...rest.body.items].map((i: Item) => i.eventId)).toEqual(
      all_.map((i) => i.eventId).reverse(),
    );
  });

  test.each([
    ['after=12', 'invalid_after'],
    ['before=a/b', 'invalid_before'],
    ['after=1/2&before=3/4', 'invalid_before'],
    ['direction=sideways', 'invalid_direction'],
    ['limit=0', 'invalid_limit'],
    ['limit=501', 'invalid_limit'],
    ['from=yesterday', 'invalid_from'],
    ['to=2026-02-30T00:00:00Z', 'invalid_to'],
    ['type=Not%20A%20Type', 'invalid_type'],
    ['unknown=1', 'validation_failed'],
  ])('?%s is a 400 %s', async (query, error) => {
    const res = await get(`/api/admin/events?${query}`);
    expect({ status: res.status, error: res.body?.error }).toEqual({ status: 400, error });
    expect(typeof res.body.message).toBe('string');
  });
});

describe('GET /api/admin/streams/:streamId', () => {
  test("a wallet's balance now, at an earlier revision and at an earlier time", async () => {
    const path = `/api/admin/streams/${streams.wallet(alice.orgId)}`;
    const now = await get(path);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({
      streamId: streams.wallet(alice.orgId),
      category: 'wallet',
      lastRevision: 3,
      revision: 3,
      state: { status: 'open', organizationId: alice.orgId, balance: '17.500000' },
      stateError: null,
      nextFromRevision: null,
    });
    expect(now.body.events.map((e: Item) => e.type)).toEqual([
      'WalletOpened',
      'WalletCredited',
      'WalletCredited',
      'WalletCredited',
    ]);

    const atRevision = await get(`${path}?atRevision=2`);
    expect(atRevision.body).toMatchObject({ revision: 2, state: { balance: '15.000000' } });
    expect(atRevision.body.events).toHaveLength(3);

    const events = now.body.events as Item[];
    const firstCredit = events[1].metadata.occurredAt;
    const atTime = await get(`${path}?atTime=${encodeURIComponent(firstCredit)}`);
    expect(atTime.status).toBe(200);
    // The state then: every event recorded up to that instant (one, unless a later credit shared the millisecond).
    const prefix = events.filter((e) => e.metadata.occurredAt <= firstCredit);
    expect(atTime.body).toMatchObject({
      revision: prefix.length - 1,
      state: { balance: prefix[prefix.length - 1].data.balanceAfter },
    });
    expect(prefix.length).toBeGreaterThanOrEqual(2);

    const before = await get(`${path}?atTime=2000-01-01T00:00:00Z`);
    expect(before.body).toMatchObject({ revision: null, state: { status: 'none' }, events: [] });

    const paged = await get(`${path}?limit=2`);
    expect(paged.body).toMatchObject({ nextFromRevision: 2, state: { balance: '17.500000' } });
    expect(paged.body.events).toHaveLength(2);
  });

  test('user and server states are redacted; an organization lists its members', async () => {
    const user = await get(`/api/admin/streams/${streams.user(alice.userId)}`);
    expect(user.body.state).toMatchObject({ status: 'registered', passwordHash: '[redacted]' });
    expect(user.text).not.toContain('$argon2');
    const server = await get(`/api/admin/streams/${streams.vps(vpsId)}`);
    expect(server.body.state).toMatchObject({
      status: 'active',
      encryptedRootPassword: '[redacted]',
      hourlyPrice: '0.008219',
      monthlyPrice: '6.000000',
    });
    expect(server.text).not.toContain(ROOT_CIPHERTEXT);
    const organization = await get(`/api/admin/streams/${streams.organization(alice.orgId)}`);
    expect(organization.body.state.members).toEqual({ [alice.userId]: 'owner' });
  });

  test('unknown stream 404, bad parameters 400', async () => {
    const missing = await get('/api/admin/streams/wallet-00000000-0000-4000-8000-000000000000');
    expect({ status: missing.status, error: missing.body.error }).toEqual({
      status: 404,
      error: 'stream_not_found',
    });
    const path = `/api/admin/streams/${streams.wallet(alice.orgId)}`;
    for (const [query, error] of [
      ['atRevision=-1', 'invalid_at_revision'],
      ['atTime=later', 'invalid_at_time'],
      ['atRevision=1&atTime=2026-01-01T00:00:00Z', 'invalid_at_time'],
      ['limit=1000', 'invalid_limit'],
    ]) {
      const res = await get(`${path}?${query}`);
      expect({ query, status: res.status, error: res.body.error }).toEqual({ query, status: 400, error });
    }
  });
});

describe('GET /api/admin/correlations/:correlationId', () => {
  test('everything a registration caused, across streams, in global order', async () => {
    const [registered] = await all(`stream=${streams.user(alice.userId)}&type=UserRegistered`);
    const res = await get(`/api/admin/correlations/${encodeURIComponent(registered.metadata.correlationId)}`);
    expect(res.status).toBe(200);
    const items = res.body.items as Item[];
    expect(items.map((i) => i.type)).toEqual(
      expect.arrayContaining(['EmailClaimed', 'UserRegistered', 'OrganizationCreated', 'WalletOpened']),
    );
    expect(new Set(items.map((i) => i.streamId)).size).toBeGreaterThanOrEqual(4);
    expect(items.every((i) => i.metadata.correlationId === registered.metadata.correlationId)).toBe(true);
    expectAscending(items);
    expect(res.text).not.toContain('$argon2');

    const page = await get(
      `/api/admin/correlations/${encodeURIComponent(registered.metadata.correlationId)}?limit=1`,
    );
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).toBe(items[0].position);
  });

  test('unknown correlation 404, bad cursor 400', async () => {
    const res = await get('/api/admin/correlations/no-such-request');
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 404,
      error: 'correlation_not_found',
    });
    const bad = await get('/api/admin/correlations/x?after=nope');
    expect({ status: bad.status, error: bad.body.error }).toEqual({ status: 400, error: 'invalid_after' });
  });
});

describe('GET /api/admin/events/export', () => {
  test('the whole history as JSON Lines, same items as the list, nothing secret', async () => {
    const res = await fetch(`${api.url}/api/admin/events/export`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Item);
    expect(lines.length).toBe(await api.eventCount());
    expect(lines).toEqual(await all(''));
    expect(text).not.toContain('$argon2');
    expect(text).not.toContain(ROOT_CIPHERTEXT);
  });

  test('filters and resumes after a position', async () => {
    const url = `${api.url}/api/admin/events/export?organizationId=${alice.orgId}&type=WalletCredited`;
    const headers = { authorization: `Bearer ${adminToken}` };
    const lines = (await (await fetch(url, { headers })).text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l: Item) => l.data.amount)).toEqual(['10.000000', '5.000000', '2.500000']);
    const rest = (await (await fetch(`${url}&after=${lines[0].position}`, { headers })).text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rest).toEqual(lines.slice(1));
  });

  test('bad parameters are a JSON 400 before anything is streamed', async () => {
    for (const [query, error] of [
      ['from=soon', 'invalid_from'],
      ['after=1', 'invalid_after'],
      ['limit=5', 'validation_failed'],
    ]) {
      const res = await get(`/api/admin/events/export?${query}`);
      expect({ query, status: res.status, error: res.body?.error }).toEqual({ query, status: 400, error });
    }
  });
});

// Last: it records one more event, which the whole-history counts above do not expect.
describe('read your writes', () => {
  test('with X-Min-Position a credit is in the history as soon as its answer is', async () => {
    const credited = await credit(bob.orgId, '0.50');
    const res = await api.request(
      'GET',
      `/api/admin/events?stream=${streams.wallet(bob.orgId)}&direction=backwards&limit=1`,
      { token: adminToken, headers: { 'X-Min-Position': credited.position } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-projection-lag')).toBeNull();
    expect(res.body.items.map((i: Item) => i.eventId)).toEqual([credited.transactionId]);
    expect(res.body.items[0].position).toBe(credited.position);
  });
});

function expectAscending(items: Item[]): void {
  const positions = items.map((i) => i.position.split('/').map(BigInt));
  for (let i = 1; i < positions.length; i++) {
    const [a, b] = [positions[i - 1], positions[i]];
    expect(a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])).toBe(true);
  }
}
