/**
 * The live-updates gateway on a real API (every projection running in-process): a socket needs a single-use ticket,
 * may only subscribe to its user's organizations, and hears about changes of those organizations only.
 */
import { WebSocket } from 'ws';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { LIVE_CLOSE } from './gateway/live.gateway';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

jest.setTimeout(120_000);

interface LiveClient {
  socket: WebSocket;
  messages: Array<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  waitFor(
    predicate: (message: Record<string, unknown>) => boolean,
    what: string,
  ): Promise<Record<string, unknown>>;
}

let api: TestApi;
let adminToken: string;

function wsUrl(query: string): string {
  return `${api.url.replace(/^http/, 'ws')}/api/live${query}`;
}

function connect(query: string): LiveClient {
  const socket = new WebSocket(wsUrl(query));
  const messages: Array<Record<string, unknown>> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  socket.on('error', () => undefined);
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve) => {
    if (socket.readyState === WebSocket.OPEN) resolve();
    socket.on('open', () => resolve());
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => void opened.then(() => socket.send(JSON.stringify(message))),
    async waitFor(predicate, what) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no ${what} within 30 s; received ${JSON.stringify(messages)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

async function register(n: number): Promise<{ token: string; organizationId: string }> {
  const result = await api.request('POST', '/api/auth/register', {
    body: { email: `live${n}@example.com`, password: 'a-long-password-1', name: `Live ${n}` },
  });
  expect(result.status).toBe(201);
  return { token: result.body.token, organizationId: result.body.organization.id };
}

async function ticketFor(token: string): Promise<string> {
  const result = await api.request('POST', '/api/live/tickets', { token });
  expect(result.status).toBe(200);
  expect(typeof result.body.ticket).toBe('string');
  return result.body.ticket as string;
}

async function credit(organizationId: string, amount: string, key: string): Promise<void> {
  const result = await api.request('POST', `/api/admin/organizations/${organizationId}/wallet/credits`, {
    token: adminToken,
    body: { amount, reason: 'live test' },
    headers: { 'Idempotency-Key': key },
  });
  expect({ status: result.status, body: result.body }).toMatchObject({ status: 201 });
}

beforeAll(async () => {
  api = await startTestApi();
  adminToken = (await signInAdmin(api)).token;
});

afterAll(async () => {
  await api?.close();
});

describe('live tickets', () => {
  it('needs a session to get a ticket', async () => {
    const result = await api.request('POST', '/api/live/tickets');
    expect(result.status).toBe(401);
  });

  it('closes a socket without a ticket, with a forged ticket, or with a used one', async () => {
    const noTicket = connect('');
    expect((await noTicket.closed).code).toBe(LIVE_CLOSE.ticketRequired);

    const forged = connect('?ticket=eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    expect((await forged.closed).code).toBe(LIVE_CLOSE.ticketRequired);

    const user = await register(1);
    const ticket = await ticketFor(user.token);
    const first = connect(`?ticket=${encodeURIComponent(ticket)}`);
    await first.waitFor((m) => m.type === 'ready', 'ready');
    const replay = connect(`?ticket=${encodeURIComponent(ticket)}`);
    expect((await replay.closed).code).toBe(LIVE_CLOSE.ticketRequired);
    expect(replay.messages).toEqual([]);
    first.socket.close();
    await first.closed;
  });
});

describe('subscriptions', () => {
  it("pushes an organization's changes to its members only, never another organization's", async () => {
    const alice = await register(2);
    const bob = await register(3);

    const aliceLive = connect(`?ticket=${encodeURIComponent(await ticketFor(alice.token))}`);
    const bobLive = connect(`?ticket=${encodeURIComponent(await ticketFor(bob.token))}`);

    // Alice cannot subscribe to Bob's organization: it reads as not found.
    aliceLive.send({ type: 'subscribe', organizationId: bob.organizationId });
    const refused = await aliceLive.waitFor((m) => m.type === 'error', 'an error');
    expect(refused).toMatchObject({ error: 'organization_not_found', organizationId: bob.organizationId });

    aliceLive.send({ type: 'subscribe', organizationId: alice.organizationId });
    await aliceLive.waitFor(
      (m) => m.type === 'subscribed' && m.organizationId === alice.organizationId,
      "alice's subscription",
    );
    bobLive.send({ type: 'subscribe', organizationId: bob.organizationId });
    await bobLive.waitFor(
      (m) => m.type === 'subscribed' && m.organizationId === bob.organizationId,
      "bob's subscription",
    );

    await credit(alice.organizationId, '5.000000', 'live-alice-1');
    await aliceLive.waitFor(
      (m) => m.type === 'invalidate' && m.topic === 'wallet' && m.organizationId === alice.organizationId,
      "alice's wallet change",
    );

    await credit(bob.organizationId, '7.000000', 'live-bob-1');
    await bobLive.waitFor(
      (m) => m.type === 'invalidate' && m.topic === 'wallet' && m.organizationId === bob.organizationId,
      "bob's wallet change",
    );

    // A second change of Alice's, after Bob heard his own: by now Bob would have heard hers too if it leaked.
    await credit(alice.organizationId, '1.000000', 'live-alice-2');
    await aliceLive.waitFor(
      (m) =>
        m.type === 'invalidate' &&
        m.topic === 'wallet' &&
        aliceLive.messages.filter((x) => x.type === 'invalidate').length >= 2,
      "alice's second wallet change",
    );
    await credit(bob.organizationId, '1.000000', 'live-bob-2');
    await bobLive.waitFor(
      () => bobLive.messages.filter((x) => x.type === 'invalidate').length >= 2,
      "bob's second wallet change",
    );

    const organizationsHeard = (client: LiveClient) =>
      new Set(
        client.messages
          .filter((m) => 'organizationId' in m && m.type !== 'error')
          .map((m) => m.organizationId),
      );
    expect(organizationsHeard(aliceLive)).toEqual(new Set([alice.organizationId]));
    expect(organizationsHeard(bobLive)).toEqual(new Set([bob.organizationId]));

    aliceLive.socket.close();
    bobLive.socket.close();
    await Promise.all([aliceLive.closed, bobLive.closed]);
  });
});

describe('organizations invalidations', () => {
  it('follow invitations and custom roles, which the members page shows', async () => {
    const owner = await register(6);
    const ownerLive = connect(`?ticket=${encodeURIComponent(await ticketFor(owner.token))}`);
    ownerLive.send({ type: 'subscribe', organizationId: owner.organizationId });
    await ownerLive.waitFor(
      (m) => m.type === 'subscribed' && m.organizationId === owner.organizationId,
      'the subscription',
    );
    const heard = () =>
      ownerLive.messages.filter((m) => m.type === 'invalidate' && m.topic === 'organizations');
    const invited = await api.request('POST', `/api/organizations/${owner.organizationId}/invitations`, {
      token: owner.token,
      body: { email: 'someone@example.com', role: 'viewer' },
    });
    expect(invited.status).toBe(201);
    await ownerLive.waitFor(() => heard().length >= 1, 'the invitation');
    const role = await api.request('POST', `/api/organizations/${owner.organizationId}/roles`, {
      token: owner.token,
      body: { name: 'Readers', permissions: ['vps_view'] },
    });
    expect(role.status).toBe(201);
    await ownerLive.waitFor(() => heard().length >= 2, 'the custom role');
    ownerLive.socket.close();
    await ownerLive.closed;
  });
});

describe('wallet invalidations', () => {
  it('reach only members whose role has billing_view', async () => {
    const owner = await register(4);
    const viewer = await register(5);
    await joinByInvitation(
      api,
      owner.organizationId,
      owner.token,
      { token: viewer.token, email: 'live5@example.com' },
      'viewer',
    );

    const ownerLive = connect(`?ticket=${encodeURIComponent(await ticketFor(owner.token))}`);
    const viewerLive = connect(`?ticket=${encodeURIComponent(await ticketFor(viewer.token))}`);
    for (const client of [ownerLive, viewerLive]) {
      client.send({ type: 'subscribe', organizationId: owner.organizationId });
      await client.waitFor(
        (m) => m.type === 'subscribed' && m.organizationId === owner.organizationId,
        'the subscription',
      );
    }

    await credit(owner.organizationId, '2.000000', 'live-billing-view-1');
    await ownerLive.waitFor(
      (m) => m.type === 'invalidate' && m.topic === 'wallet',
      "the owner's wallet change",
    );
    // Each change goes to every subscriber in one pass: once the owner heard the second, the viewer would have heard the first.
    await credit(owner.organizationId, '1.000000', 'live-billing-view-2');
    await ownerLive.waitFor(
      () => ownerLive.messages.filter((m) => m.type === 'invalidate' && m.topic === 'wallet').length >= 2,
      "the owner's second wallet change",
    );
    expect(viewerLive.messages.filter((m) => m.topic === 'wallet')).toEqual([]);

    ownerLive.socket.close();
    viewerLive.socket.close();
    await Promise.all([ownerLive.closed, viewerLive.closed]);
  });
});
