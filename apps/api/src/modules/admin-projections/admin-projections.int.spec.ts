import { streams } from '@stratus/domain';
import { Client } from 'pg';
import type { RecordedEvent } from '@stratus/eventstore';
import { PROJECTIONS, tryLockRebuild } from '@stratus/projections';
import {
  foldReadModels,
  snapshotReadModels,
  waitFor,
} from '@stratus/projections/testing/read-model-snapshot';
import { v4 as uuidv4 } from 'uuid';
import { startTestApi, TEST_ADMIN, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { ABANDONED_ERROR, INTERRUPTED_ERROR, ProjectionRebuilds } from './shared/projection-rebuilds.service';

jest.setTimeout(120_000);

let api: TestApi;
let adminToken: string;
let adminId: string;
let customerToken: string;

beforeAll(async () => {
  api = await startTestApi();
  const admin = await signInAdmin(api);
  adminToken = admin.token;
  adminId = admin.user.id;
  for (let i = 0; i < 3; i++) {
    const reg = await api.request('POST', '/api/auth/register', {
      body: { email: `p${i}@example.com`, password: 'a-long-password-1', name: `P ${i}` },
    });
    expect(reg.status).toBe(201);
    customerToken = reg.body.token;
  }
});
afterAll(async () => {
  await api?.close();
});

const view = async (name: string) => {
  const res = await api.request('GET', `/api/admin/projections/${name}`, { token: adminToken });
  expect(res.status).toBe(200);
  return res.body;
};
const streamOf = (name: string): Promise<RecordedEvent[]> =>
  api.eventStore.readStream(streams.projection(name));
const finished = (name: string, rebuildId: string) =>
  waitFor(async () => (await view(name)).lastRebuild?.rebuildId === rebuildId, {
    timeoutMs: 60_000,
    describe: async () => JSON.stringify(await view(name)),
  });

/** What a process that died mid-rebuild leaves on the stream: a request nobody is running. */
async function abandonedRequest(name: string): Promise<string> {
  const rebuildId = uuidv4();
  const now = new Date().toISOString();
  await api.eventStore.appendToStream(
    streams.projection(name),
    [
      {
        id: uuidv4(),
        type: 'ProjectionRebuildRequested',
        data: { projection: name, rebuildId, reason: null, requestedBy: adminId, requestedAt: now },
        metadata: {
          correlationId: 'gone',
          causationId: 'gone',
          actor: { userId: adminId, role: 'admin' },
          occurredAt: now,
          schemaVersion: 1,
        },
      },
    ],
    { expectedRevision: 'any' },
  );
  return rebuildId;
}

describe('admin projections', () => {
  test('only platform admins: 401 without a token, 403 for a customer', async () => {
    expect((await api.request('GET', '/api/admin/projections')).status).toBe(401);
    for (const [method, path] of [
      ['GET', '/api/admin/projections'],
      ['GET', '/api/admin/projections/users'],
      ['POST', '/api/admin/projections/users/rebuild'],
    ] as const) {
      const res = await api.request(method, path, {
        token: customerToken,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'forbidden' });
    }
    expect(await streamOf('users')).toEqual([]);
  });

  test('lists every projection with checkpoint, lag, status, events processed and no rebuild', async () => {
    const res = await api.request('GET', '/api/admin/projections', { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.projections.map((p: { name: string }) => p.name)).toEqual(PROJECTIONS.map((p) => p.name));
    for (const projection of res.body.projections) {
      expect(projection).toEqual({
        name: expect.any(String),
        checkpoint: projection.checkpoint === null ? null : expect.stringMatching(/^\d+\/\d+$/),
        lagEvents: expect.any(Number),
        lagSeconds: expect.any(Number),
        status: expect.any(String),
        lastError: null,
        eventsProcessed: expect.any(Number),
        rebuild: null,
        lastRebuild: null,
      });
    }
    const unknown = await api.request('GET', '/api/admin/projections/nope', { token: adminToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'projection_not_found' });
  });

  test('rebuild → 202 → completes in the background; recorded with the admin as actor; rows unchanged', async () => {
    // The registrations are visible and applied (other suites' open transactions can delay visibility).
    await waitFor(async () => (await snapshotReadModels(api.orm)).users.length === 4, { timeoutMs: 60_000 });
    const before = await snapshotReadModels(api.orm);
    const res = await api.request('POST', '/api/admin/projections/users/rebuild', {
      token: adminToken,
      body: { reason: 'verify the users read model' },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ rebuildId: expect.any(String), projection: 'users', status: 'rebuilding' });
    expect(res.headers.get('location')).toBe('/api/admin/projections/users');
    const { rebuildId } = res.body;
    await finished('users', rebuildId);

    const after = await view('users');
    expect(after.rebuild).toBeNull();
    expect(after.lastRebuild).toEqual({
      rebuildId,
      outcome: 'completed',
      at: expect.any(String),
      events: expect.any(Number),
      position: expect.stringMatching(/^\d+\/\d+$/),
      durationMs: expect.any(Number),
    });
    expect(after.lastRebuild.events).toBeGreaterThan(0);

    const events = await streamOf('users');
    expect(events.map((e) => e.type)).toEqual(['ProjectionRebuildRequested', 'ProjectionRebuildCompleted']);
    expect(events[0].data).toMatchObject({
      projection: 'users',
      rebuildId,
      reason: 'verify the users read model',
      requestedBy: adminId,
    });
    expect(events[0].metadata.actor).toMatchObject({ userId: adminId, role: 'admin' });
    expect(events[1].metadata.actor).toMatchObject({ userId: 'system', role: 'system' });
    expect(events[1].metadata.correlationId).toBe(events[0].metadata.correlationId);

    expect((await snapshotReadModels(api.orm)).users).toEqual(before.users);
    expect((await foldReadModels(api.orm, api.eventStore)).users).toEqual(before.users);
    // The API still reads the swapped-in table.
    const login = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(login.status).toBe(200);
  });

  test('a rebuild in progress shows its requester, start and shadow progress; a second request is a 409', async () => {
    // A long read of the live table holds the swap back, so the rebuild stays in progress until it commits.
    const reader = new Client({ connectionString: api.db.url });
    await reader.connect();
    let rebuildId: string;
    try {
      await reader.query('begin');
      await reader.query('select count(*) from plans');
      const res = await api.request('POST', '/api/admin/projections/plans/rebuild', {
        token: adminToken,
        body: { reason: 'in progress view' },
      });
      expect(res.status).toBe(202);
      rebuildId = res.body.rebuildId;
      const again = await api.request('POST', '/api/admin/projections/plans/rebuild', {
        token: adminToken,
        body: {},
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'rebuild_in_progress' });
      await waitFor(async () => (await view('plans')).rebuild?.checkpoint != null, { timeoutMs: 30_000 });
      const plans = await view('plans');
      expect(plans.rebuild).toEqual({
        rebuildId,
        requestedBy: adminId,
        startedAt: expect.any(String),
        reason: 'in progress view',
        running: true,
        checkpoint: expect.stringMatching(/^\d+\/\d+$/),
        eventsProcessed: expect.any(Number),
        lagEvents: expect.any(Number),
      });
      const list = await api.request('GET', '/api/admin/projections', { token: adminToken });
      expect(list.body.projections.find((p: { name: string }) => p.name === 'plans').rebuild).toMatchObject({
        rebuildId,
        running: true,
      });
      await reader.query('commit');
    } finally {
      await reader.end();
    }
    await finished('plans', rebuildId);
    expect((await view('plans')).lastRebuild).toMatchObject({ rebuildId, outcome: 'completed' });
    expect((await streamOf('plans')).map((e) => e.type)).toEqual([
      'ProjectionRebuildRequested',
      'ProjectionRebuildCompleted',
    ]);
  });

  test('an API shutting down stops its rebuild and records it as interrupted; the live table is untouched', async () => {
    const before = (await snapshotReadModels(api.orm)).plans;
    const reader = new Client({ connectionString: api.db.url });
    await reader.connect();
    try {
      await reader.query('begin');
      await reader.query('select count(*) from plans');
      const res = await api.request('POST', '/api/admin/projections/plans/rebuild', {
        token: adminToken,
        body: {},
      });
      expect(res.status).toBe(202);
      await waitFor(async () => (await view('plans')).rebuild?.checkpoint != null, { timeoutMs: 30_000 });
      // What Nest runs on app.close() / SIGTERM, before the connections close.
      await api.app.get(ProjectionRebuilds).beforeApplicationShutdown();
      expect((await view('plans')).lastRebuild).toMatchObject({
        rebuildId: res.body.rebuildId,
        outcome: 'failed',
        error: INTERRUPTED_ERROR,
      });
      await reader.query('commit');
    } finally {
      await reader.end();
    }
    expect((await view('plans')).rebuild).toBeNull();
    expect((await snapshotReadModels(api.orm)).plans).toEqual(before);
    const shadows = await api.orm.em
      .getConnection()
      .execute(`select 1 from pg_tables where tablename = 'plans__rebuild'`);
    expect(shadows).toEqual([]);
  });

  test('404 for an unknown projection, 400 for a bad reason, 409 while one runs; none records anything', async () => {
    const count = await api.eventCount();
    const unknown = await api.request('POST', '/api/admin/projections/nope/rebuild', {
      token: adminToken,
      body: {},
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'projection_not_found' });
    const bad = await api.request('POST', '/api/admin/projections/wallets/rebuild', {
      token: adminToken,
      body: { reason: 42 },
    });
    expect(bad.status).toBe(400);

    // A rebuild running in another process holds the projection's rebuild lock.
    const lock = await tryLockRebuild(api.orm, 'wallets');
    expect(lock).not.toBeNull();
    try {
      const busy = await api.request('POST', '/api/admin/projections/wallets/rebuild', {
        token: adminToken,
        body: {},
      });
      expect(busy.status).toBe(409);
      expect(busy.body).toMatchObject({ error: 'rebuild_in_progress' });
    } finally {
      await lock!.release();
    }
    expect(await api.eventCount()).toBe(count);
  });

  test('a rebuild whose API stopped is closed as failed at the next start, or by the next request', async () => {
    const first = await abandonedRequest('organizations');
    const stale = await view('organizations');
    expect(stale.rebuild).toMatchObject({ rebuildId: first, requestedBy: adminId, running: false });

    // What an API does when it starts.
    expect(await api.app.get(ProjectionRebuilds).closeAbandoned()).toBe(1);
    expect((await view('organizations')).lastRebuild).toMatchObject({
      rebuildId: first,
      outcome: 'failed',
      error: ABANDONED_ERROR,
    });
    expect(await api.app.get(ProjectionRebuilds).closeAbandoned()).toBe(0);

    const second = await abandonedRequest('organizations');
    const res = await api.request('POST', '/api/admin/projections/organizations/rebuild', {
      token: adminToken,
      body: {},
    });
    expect(res.status).toBe(202);
    await finished('organizations', res.body.rebuildId);
    const events = await streamOf('organizations');
    expect(events.map((e) => [e.type, (e.data as { rebuildId: string }).rebuildId])).toEqual([
      ['ProjectionRebuildRequested', first],
      ['ProjectionRebuildFailed', first],
      ['ProjectionRebuildRequested', second],
      ['ProjectionRebuildFailed', second],
      ['ProjectionRebuildRequested', res.body.rebuildId],
      ['ProjectionRebuildCompleted', res.body.rebuildId],
    ]);
    expect((await view('organizations')).lastRebuild).toMatchObject({ outcome: 'completed' });
  });
});
