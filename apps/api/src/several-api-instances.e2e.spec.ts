/**
 * Two API instances over one database and one Temporal (`start.js api workers` with API_EXTRA_PORTS), behind a
 * round-robin HTTP and WebSocket proxy written here, as behind a load balancer without sticky sessions: sign-in
 * throttling is shared, a create with one Idempotency-Key sent to both makes one server, a live-updates socket and
 * a console open with tickets the other instance issued, updates arrive, and a member removed through one instance
 * loses the console open on the other within 2 s.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import {
  apiCall,
  freePort,
  mailpitClient,
  startStack,
  waitFor,
  type ApiCall,
  type Json,
  type Stack,
} from '@stratus/infra/testing';
import { WebSocket } from 'ws';

jest.setTimeout(240_000);

const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const PASSWORD = 'correct-horse-battery';

interface Routed {
  kind: 'http' | 'websocket';
  method: string;
  path: string;
  /** Index of the API instance that served it. */
  upstream: number;
}

interface RoundRobinProxy {
  url: string;
  routed: Routed[];
  close(): Promise<void>;
}

/** Each request and each WebSocket upgrade goes to the next upstream in turn; nothing is sticky. */
async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const targets = upstreams.map((url) => Number(new URL(url).port));
  const routed: Routed[] = [];
  const sockets = new Set<Socket>();
  let next = 0;
  const pick = (kind: Routed['kind'], req: IncomingMessage) => {
    const upstream = next++ % targets.length;
    routed.push({ kind, method: req.method ?? 'GET', path: req.url ?? '/', upstream });
    return targets[upstream];
  };
  const server: Server = createServer((req, res) => {
    const port = pick('http', req);
    const forwarded = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const port = pick('websocket', req);
    const upstream = tcpConnect(port, '127.0.0.1', () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A WebSocket client collecting JSON messages and how it closed. */
class SocketClient {
  readonly messages: Json[] = [];
  closedWith: { code: number; reason: string; at: number } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    ws.on('close', (code, reason) => (this.closedWith = { code, reason: String(reason), at: Date.now() }));
    ws.on('error', () => undefined);
  }

  static async open(url: string, origin?: string): Promise<SocketClient> {
    const client = new SocketClient(new WebSocket(url, origin ? { origin } : {}));
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  message(what: string, match: (message: Json) => boolean, timeoutMs = 30_000): Promise<Json> {
    return waitFor(
      what,
      async () => ({
        value: this.messages.find(match),
        seen: { messages: this.messages, closed: this.closedWith },
      }),
      timeoutMs,
      20,
    );
  }

  closed(timeoutMs = 15_000): Promise<{ code: number; reason: string; at: number }> {
    return waitFor(
      'the socket to close',
      async () => ({ value: this.closedWith ?? undefined, seen: this.messages }),
      timeoutMs,
      20,
    );
  }
}

let stack: Stack;
let proxy: RoundRobinProxy;
let call: ApiCall;

beforeAll(async () => {
  stack = await startStack({
    name: 'several-api-instances',
    services: ['api', 'workers'],
    apiInstances: 2,
    env: {
      SIM_PROVISIONING_MS: '300',
      SIM_BOOTING_MS: '300',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      VPS_MIN_BALANCE_HOURS: '1',
    },
    bannerTimeoutMs: 150_000,
  });
  expect(stack.urls.apis).toHaveLength(2);
  proxy = await startRoundRobinProxy(stack.urls.apis);
  call = apiCall(`${proxy.url}/api`);
});

afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

/** The instances that served the requests routed since `from` matching `match`. */
const servedBy = (from: number, match: (r: Routed) => boolean) =>
  new Set(
    proxy.routed
      .slice(from)
      .filter(match)
      .map((r) => r.upstream),
  );

async function register(email: string): Promise<{ token: string; userId: string; orgId: string }> {
  const res = await call('POST', '/auth/register', {
    body: { email, password: PASSWORD, name: email.split('@')[0] },
  });
  expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  return { token: res.body.token, userId: res.body.user.id, orgId: res.body.organization.id };
}

/** The token in the newest link below `path` mailed to `email` (what following the mail would send). */
async function mailedToken(email: string, path: string): Promise<string> {
  const mailpit = mailpitClient(stack.urls.mailpit);
  const link = await waitFor(
    `a ${path} link mailed to ${email}`,
    async () => {
      const found = await mailpit.latestLink(email, path);
      return { value: found ?? undefined, seen: (await mailpit.messagesTo(email)).map((m) => m.Subject) };
    },
    60_000,
    500,
  );
  const url = new URL(link);
  return url.searchParams.get('token') ?? decodeURIComponent(url.pathname.slice(path.length));
}

/** Joins the owner's organization the only way there is: invited, address verified, invitation accepted. */
async function joinByInvitation(
  owner: { token: string; orgId: string },
  member: { token: string; email: string },
  role: string,
): Promise<void> {
  const invited = await call('POST', `/organizations/${owner.orgId}/invitations`, {
    token: owner.token,
    body: { email: member.email, role },
  });
  expect({ status: invited.status, body: invited.body }).toMatchObject({ status: 201 });
  const verified = await call('POST', '/auth/email-verification', {
    body: { token: await mailedToken(member.email, '/verify-email') },
  });
  expect({ status: verified.status, body: verified.body }).toMatchObject({ status: 200 });
  const token = await mailedToken(member.email, '/invitations/');
  const accepted = await call('POST', `/invitations/${encodeURIComponent(token)}/accept`, {
    token: member.token,
  });
  expect({ status: accepted.status, body: accepted.body }).toMatchObject({ status: 200 });
}

test('two API instances behind a round-robin proxy act as one', async () => {
  // Sign-in throttling is shared: the account's five free attempts are spent on both instances together.
  await register('target@example.com');
  const before = proxy.routed.length;
  const attempts: number[] = [];
  for (let n = 0; n < 6; n++) {
    const res = await call('POST', '/auth/login', {
      body: { email: 'target@example.com', password: `wrong-${n}` },
    });
    attempts.push(res.status);
  }
  expect(attempts).toEqual([401, 401, 401, 401, 401, 429]);
  expect(servedBy(before, (r) => r.path === '/api/auth/login')).toEqual(new Set([0, 1]));

  // Staff: a plan; a customer with money.
  const adminLogin = await call('POST', '/auth/login', { body: ADMIN });
  expect(adminLogin.status).toBe(200);
  const admin: string = adminLogin.body.token;
  const plan = await call('POST', '/admin/plans', {
    token: admin,
    body: {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect({ status: plan.status, body: plan.body }).toMatchObject({ status: 201 });
  const owner = await register('owner@example.com');
  const credit = (key: string, amount: string) =>
    call('POST', `/admin/organizations/${owner.orgId}/wallet/credits`, {
      token: admin,
      body: { amount, reason: 'Trial credit' },
      headers: { 'Idempotency-Key': key },
    });
  expect((await credit('trial', '10.000000')).status).toBe(201);

  // Live updates: a ticket from one instance opens a socket on the other, and the wallet's change arrives there.
  const liveFrom = proxy.routed.length;
  const liveTicket = await call('POST', '/live/tickets', { token: owner.token });
  expect(liveTicket.status).toBe(200);
  const live = await SocketClient.open(
    `${proxy.url.replace(/^http/, 'ws')}/api/live?ticket=${encodeURIComponent(liveTicket.body.ticket)}`,
  );
  expect(servedBy(liveFrom, () => true)).toEqual(new Set([0, 1]));
  live.send({ type: 'subscribe', organizationId: owner.orgId });
  await live.message('the subscription', (m) => m.type === 'subscribed');
  expect((await credit('more', '1.000000')).status).toBe(201);
  await live.message('the wallet change', (m) => m.type === 'invalidate' && m.topic === 'wallet');

  // One Idempotency-Key sent to both instances at once: one server.
  const createFrom = proxy.routed.length;
  const create = () =>
    call('POST', `/organizations/${owner.orgId}/vps`, {
      token: owner.token,
      headers: { 'Idempotency-Key': 'web-1' },
      body: {
        label: 'web-1',
        planId: plan.body.id,
        region: 'us-east',
        image: 'linode/debian12',
        rootPassword: 'Correct-Horse-42-Battery',
      },
    });
  const created = await Promise.all([create(), create()]);
  expect(created.map((res) => res.status)).toEqual([202, 202]);
  expect(created[1].body.id).toBe(created[0].body.id);
  expect(servedBy(createFrom, (r) => r.method === 'POST' && r.path.endsWith('/vps'))).toEqual(
    new Set([0, 1]),
  );
  const vpsId: string = created[0].body.id;
  const servers = await call('GET', `/organizations/${owner.orgId}/vps`, {
    token: owner.token,
    headers: { 'X-Min-Position': created[1].body.position },
  });
  expect((servers.body as Json[]).map((s) => s.id)).toEqual([vpsId]);
  await live.message('the new server', (m) => m.type === 'invalidate' && m.topic === 'vps');
  await waitFor(
    'the server active',
    async () => {
      const res = await call('GET', `/organizations/${owner.orgId}/vps/${vpsId}`, { token: owner.token });
      return { value: res.body?.status === 'active' ? true : undefined, seen: res.body };
    },
    90_000,
  );

  // A member's console: ticket from one instance, shell on the other; removed through one, closed within 2 s.
  const member = await register('member@example.com');
  await joinByInvitation(owner, { token: member.token, email: 'member@example.com' }, 'vps_manager');
  const consoleFrom = proxy.routed.length;
  const ticket = await call('POST', `/organizations/${owner.orgId}/vps/${vpsId}/console-tickets`, {
    token: member.token,
  });
  expect({ status: ticket.status, body: ticket.body }).toMatchObject({ status: 201 });
  // The ticket request's Host was the proxy's: so is the socket URL the API answers with.
  expect(ticket.body.websocketUrl).toBe(`${proxy.url.replace(/^http/, 'ws')}/api/console`);
  const shell = await SocketClient.open(ticket.body.websocketUrl, stack.urls.web);
  shell.send({ type: 'auth', ticket: ticket.body.ticket, cols: 80, rows: 24 });
  await shell.message('the shell', (m) => m.type === 'ready', 60_000);
  expect(servedBy(consoleFrom, () => true)).toEqual(new Set([0, 1]));
  const removedAt = Date.now();
  const removed = await call('DELETE', `/organizations/${owner.orgId}/members/${member.userId}`, {
    token: owner.token,
  });
  expect(removed.status).toBe(200);
  const closed = await shell.closed();
  expect({ code: closed.code, reason: closed.reason }).toEqual({
    code: 4403,
    reason: 'session ended: you are no longer a member of the organization',
  });
  expect(closed.at - removedAt).toBeLessThan(2_000);

  live.ws.close();
  await live.closed();
});
