import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { MembershipEntity, OrganizationEntity } from '@stratus/projections';
import { waitFor } from '@stratus/infra/testing';
import { createHash } from 'node:crypto';
import { CommandContext } from '../../../../shared/request-context/command-context';
import { startTestApi, type TestApi } from '../../../../testing/api-test-app';
import { ME_MEMBERSHIPS_LIMIT } from './get-me.query';

describe('GET /api/me', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('says whether the email is verified and two-factor authentication is on', async () => {
    const registered = await api.request('POST', '/api/auth/register', {
      body: { email: 'ada@example.com', password: 'ada-password-123', name: 'Ada' },
    });
    expect(registered.status).toBe(201);
    const token = registered.body.token as string;
    const userId = registered.body.user.id as string;
    const me = await api.request('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: userId, emailVerified: false, twoFactorEnabled: false });

    const tokenHash = createHash('sha256').update('raw-token').digest('hex');
    const executor = api.app.get(CommandExecutor);
    const context = CommandContext.system('get-me-test');
    await executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'RequestEmailVerification' as const,
        data: {
          tokenHash,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          sealedToken: 'sealed',
        },
        metadata,
      }),
    });
    await executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({ type: 'VerifyEmail' as const, data: { tokenHash }, metadata }),
    });
    await waitFor(
      'emailVerified in /api/me',
      async () => {
        const seen = (await api.request('GET', '/api/me', { token })).body.user;
        return { value: seen.emailVerified === true ? seen : undefined, seen };
      },
      10_000,
    );

    expect((await api.request('GET', '/api/me')).status).toBe(401);
  });

  async function register(email: string): Promise<{ token: string; userId: string }> {
    const registered = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'a-password-123', name: email.split('@')[0] },
    });
    expect(registered.status).toBe(201);
    return { token: registered.body.token as string, userId: registered.body.user.id as string };
  }

  it('GET /api/me/memberships pages the memberships in the order they were joined', async () => {
    const { token } = await register('pages@example.com');
    const names = ['First', 'Second', 'Third'];
    let position = '';
    for (const name of names) {
      const created = await api.request('POST', '/api/organizations', { token, body: { name } });
      expect(created.status).toBe(201);
      position = created.body.position as string;
    }
    const list = (query: string, who = token) =>
      api.request('GET', `/api/me/memberships${query}`, {
        token: who,
        headers: { 'X-Min-Position': position },
      });
    // The read models caught up: four memberships, each with its organization's name.
    await waitFor(
      'four named memberships',
      async () => {
        const seen = (await list('')).body.items as { organizationName: string }[];
        return { value: seen.length === 4 && seen.every((m) => m.organizationName) ? seen : undefined, seen };
      },
      10_000,
    );

    const first = await list('?limit=2');
    expect({ status: first.status, body: first.body }).toMatchObject({
      status: 200,
      body: { nextCursor: expect.any(String) },
    });
    const second = await list(`?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`);
    expect({ status: second.status, nextCursor: second.body.nextCursor }).toEqual({
      status: 200,
      nextCursor: null,
    });
    const paged = [...first.body.items, ...second.body.items] as {
      organizationId: string;
      organizationName: string;
      role: string;
    }[];
    // The organization made at registration comes first.
    expect(paged.map((m) => m.organizationName)).toEqual(["pages's organization", ...names]);
    expect(paged.every((m) => m.role === 'owner')).toBe(true);
    const all = await list('');
    expect(all.body).toEqual({ items: paged, nextCursor: null });

    // Another user's cursor pages through that user's own memberships only.
    const other = await register('other-pages@example.com');
    const theirs = await list(`?cursor=${encodeURIComponent(first.body.nextCursor as string)}`, other.token);
    expect(theirs.status).toBe(200);
    const mine = new Set(paged.map((m) => m.organizationId));
    expect(
      (theirs.body.items as { organizationId: string }[]).filter((m) => mine.has(m.organizationId)),
    ).toEqual([]);

    for (const bad of ['?limit=0', '?limit=101', '?cursor=bm9wZQ', '?cursor=%25']) {
      const refused = await list(bad);
      expect({ bad, status: refused.status, error: refused.body.error }).toEqual({
        bad,
        status: 400,
        error: expect.stringMatching(/^(validation_failed|invalid_cursor)$/),
      });
    }
    const anonymous = await api.request('GET', '/api/me/memberships');
    expect({ status: anonymous.status, error: anonymous.body.error }).toEqual({
      status: 401,
      error: 'unauthorized',
    });
  });

  it(`GET /api/me lists at most ${ME_MEMBERSHIPS_LIMIT} memberships, the active one always, and says more exist`, async () => {
    const { token, userId } = await register('many@example.com');
    const created = await api.request('POST', '/api/organizations', { token, body: { name: 'Active one' } });
    expect(created.status).toBe(201);
    const activeId = created.body.organizationId as string;
    const selected = await api.request('POST', '/api/me/active-organization', {
      token,
      body: { organizationId: activeId },
    });
    expect(selected.status).toBeLessThan(300);
    // The read models hold the user's two real memberships (registration's and the active one) and the choice.
    await waitFor(
      'the active organization and both memberships in /api/me',
      async () => {
        const seen = (await api.request('GET', '/api/me', { token })).body;
        const ready = seen.activeOrganizationId === activeId && seen.memberships.length === 2;
        return { value: ready ? seen : undefined, seen };
      },
      10_000,
    );
    // Read-model rows joined before those: the bound keeps the first ones joined.
    const em = api.orm.em.fork();
    const longAgo = Date.parse('2020-01-01T00:00:00.000Z');
    for (let i = 0; i < ME_MEMBERSHIPS_LIMIT; i++) {
      const id = crypto.randomUUID();
      const at = new Date(longAgo + i * 60_000);
      em.create(OrganizationEntity, {
        id,
        name: `Old ${i}`,
        createdBy: userId,
        createdAt: at,
        memberCount: 1,
      });
      em.create(MembershipEntity, { organizationId: id, userId, role: 'viewer', joinedAt: at });
    }
    await em.flush();

    const me = (await api.request('GET', '/api/me', { token })).body;
    expect(me.memberships).toHaveLength(ME_MEMBERSHIPS_LIMIT + 1);
    expect(me.memberships[0].organizationName).toBe('Old 0');
    expect(me.memberships.at(-1)).toMatchObject({ organizationId: activeId, role: 'owner' });
    expect(me.moreMemberships).toBe(true);

    const page = await api.request('GET', `/api/me/memberships?limit=100`, { token });
    expect(page.body.items).toHaveLength(100);
    const rest = await api.request('GET', `/api/me/memberships?cursor=${page.body.nextCursor as string}`, {
      token,
    });
    // The rest: the organization made at registration, then the active one.
    expect(rest.body.nextCursor).toBeNull();
    expect((rest.body.items as { organizationId: string }[]).map((m) => m.organizationId)).toEqual([
      expect.any(String),
      activeId,
    ]);
  });
});
