/**
 * The live-updates gateway on a real API (every projection running in-process): a socket needs a single-use ticket,
 * may only subscribe to its user's organizations, and hears about changes of those organizations only.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WebSocket } from 'ws';
import { createApiApp } from '../../app.factory';
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

function wsUrl(query: string, apiUrl = api.url): string {
  return `${apiUrl.replace(/^http/, 'ws')}/api/live${query}`;
}

function connect(query: string, apiUrl = api.url): LiveClient {
  const socket = new WebSocket(wsUrl(query, apiUrl));
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
  api = await startTestApi({ configOverrides: { live: { maxSocketsPerUser: 2 } } });
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

describe('limits', () => {
  const openFor = async (token: string) => {
    const client = connect(`?ticket=${encodeURIComponent(await ticketFor(token))}`);
    await client.waitFor((m) => m.type === 'ready', 'ready');
    return client;
  };

  it('a message over 1 KiB, or a binary one, closes the socket (4413)', async () => {
    const user = await register(7);
    const large = await openFor(user.token);
    large.send({ type: 'subscribe', organizationId: user.organizationId, padding: 'x'.repeat(1024) });
    expect(await large.closed).toEqual({ code: LIVE_CLOSE.messageTooLarge, reason: expect.any(String) });
    const binary = await openFor(user.token);
    binary.socket.send(Buffer.from('{"type":"subscribe"}'));
    expect((await binary.closed).code).toBe(LIVE_CLOSE.messageTooLarge);
  });

  it('at most LIVE_MAX_SOCKETS_PER_USER sockets per user (4429); another user is not affected', async () => {
    const user = await register(8);
    const other = await register(9);
    const first = await openFor(user.token);
    const second = await openFor(user.token);
    const third = connect(`?ticket=${encodeURIComponent(await ticketFor(user.token))}`);
    expect(await third.closed).toEqual({
      code: LIVE_CLOSE.tooMany,
      reason: 'Too many live connections (max 2 per user)',
    });
    const others = await openFor(other.token);
    // A closed socket frees its place.
    first.socket.close();
    await first.closed;
    const again = await openFor(user.token);
    for (const client of [second, others, again]) client.socket.close();
    await Promise.all([second.closed, others.closed, again.closed]);
  });

  it('messages faster than allowed close the socket (4429), also when sent before the ticket was checked', async () => {
    const user = await register(10);
    const flood = connect(`?ticket=${encodeURIComponent(await ticketFor(user.token))}`);
    for (let n = 0; n < 60; n++) flood.send({ type: 'unsubscribe', organizationId: user.organizationId });
    expect(await flood.closed).toEqual({
      code: LIVE_CLOSE.tooMany,
      reason: expect.stringMatching(/^Too many messages/),
    });
    // Within the allowance: every message is answered.
    const calm = await openFor(user.token);
    for (let n = 0; n < 20; n++) calm.send({ type: 'unsubscribe', organizationId: user.organizationId });
    await calm.waitFor(
      () => calm.messages.filter((m) => m.type === 'unsubscribed').length === 20,
      'twenty answers',
    );
    calm.socket.close();
    await calm.closed;
  });
});

describe('several API instances', () => {
  let second: NestExpressApplication;
  let secondUrl: string;
  beforeAll(async () => {
    second = await createApiApp(api.config, { logger: ['error'], seedAdmin: false });
    await second.listen(0, '127.0.0.1');
    secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await second?.close();
  });

  it('a ticket one instance issued opens a socket on another, and only one socket in all', async () => {
    const user = await register(6);
    const ticket = encodeURIComponent(await ticketFor(user.token));
    const onSecond = connect(`?ticket=${ticket}`, secondUrl);
    await onSecond.waitFor((m) => m.type === 'ready', 'ready on the second instance');
    for (const url of [api.url, secondUrl]) {
      const replay = connect(`?ticket=${ticket}`, url);
      // Whichever comes first: refused (the close code) or opened.
      const outcome = await new Promise<number | 'opened'>((resolve) => {
        void replay.closed.then((closed) => resolve(closed.code));
        replay.socket.on('message', (data) => {
          if (JSON.parse(String(data)).type === 'ready') resolve('opened');
        });
      });
      expect({ url, outcome }).toEqual({ url, outcome: LIVE_CLOSE.ticketRequired });
      replay.socket.close();
    }
    onSecond.socket.close();
    await onSecond.closed;
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
    const owner = await register(11);
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
