import { organizationDecider, streams, type OrganizationCommand } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { waitFor } from '@stratus/infra/testing';
import type { Clock } from '../../shared/event-sourcing/tokens';
import { CommandContext } from '../../shared/request-context/command-context';
import { startTestApi, type TestApi } from '../../testing/api-test-app';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

/** The API's clock runs this far ahead of real time (to expire keys without waiting). */
let clockOffsetMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + clockOffsetMs) };

interface Registered {
  token: string;
  user: { id: string };
  organization: { id: string };
}

/**
 * API keys: created by a member for one of their organizations with scopes they hold, shown once, listed without
 * their secret, revocable; a key authenticates on its organization's routes only, with its scopes ∩ its owner's
 * current permissions, from its allowed addresses, until it expires or is revoked.
 */
describe('API keys', () => {
  let api: TestApi;
  let owner: Registered;
  let viewer: Registered;
  let outsider: Registered;

  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false, overrides: { clock } });
    owner = await register('olga@example.com');
    viewer = await register('vic@example.com');
    outsider = await register('otto@example.com');
    await joinByInvitation(
      api,
      owner.organization.id,
      owner.token,
      { token: viewer.token, email: 'vic@example.com' },
      'viewer',
    );
  });
  afterAll(async () => {
    await api?.close();
  });
  afterEach(() => {
    clockOffsetMs = 0;
  });

  async function register(email: string): Promise<Registered> {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'long-password-123', name: email.split('@')[0] },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Membership changes straight through the organization's decider, as its owner (not this suite's subject). */
  async function organizationCommand<T extends OrganizationCommand['type']>(
    organizationId: string,
    actorId: string,
    type: T,
    data: Extract<OrganizationCommand, { type: T }>['data'],
  ) {
    await api.app.get(CommandExecutor).execute({
      streamId: streams.organization(organizationId),
      decider: organizationDecider,
      context: new CommandContext('test', 'test', { userId: actorId, role: 'customer' }),
      command: (_state, metadata) => ({ type, data, metadata }) as OrganizationCommand,
    });
  }

  async function createKey(
    who: Registered,
    body: Partial<{
      name: string;
      organizationId: string;
      permissions: string[];
      expiresAt: string | null;
      allowedIps: string[];
    }> = {},
  ) {
    return api.request('POST', '/api/me/api-keys', {
      token: who.token,
      body: { name: 'CI deploys', organizationId: who.organization.id, permissions: ['vps_view'], ...body },
    });
  }

  async function newKey(who: Registered, body: Parameters<typeof createKey>[1] = {}) {
    const res = await createKey(who, body);
    expect(res.status).toBe(201);
    return res.body as { key: string; id: string; prefix: string };
  }

  const listed = (who: Registered, keyId: string) =>
    waitFor(
      'the key is listed',
      async () => {
        const res = await api.request('GET', '/api/me/api-keys', { token: who.token });
        if (res.status !== 200) throw new Error(`list answered ${res.status}: ${res.text}`);
        const item = (res.body.items as Array<Record<string, unknown>>).find((k) => k.id === keyId);
        return { value: item, seen: res.body };
      },
      10_000,
    );

  it('shows the key once and lists it by prefix, name, organization, scopes, last use and expiry', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await createKey(owner, {
      permissions: ['vps_create', 'vps_view'],
      expiresAt,
      allowedIps: ['127.0.0.1', '::1'],
    });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatch(/^stx_[0-9a-f]{12}_[0-9a-f]{64}$/);
    expect(res.body).toMatchObject({
      prefix: res.body.key.slice(4, 16),
      name: 'CI deploys',
      organizationId: owner.organization.id,
      organizationName: expect.any(String),
      permissions: ['vps_view', 'vps_create'],
      expiresAt,
      allowedIps: ['127.0.0.1', '::1'],
      status: 'active',
      lastUsedAt: null,
    });
    const item = await listed(owner, res.body.id);
    expect(item).toEqual({
      id: res.body.id,
      prefix: res.body.prefix,
      name: 'CI deploys',
      organizationId: owner.organization.id,
      organizationName: res.body.organizationName,
      permissions: ['vps_view', 'vps_create'],
      allowedIps: ['127.0.0.1', '::1'],
      createdAt: expect.any(String),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      status: 'active',
    });
    // Only a hash of the secret is kept: neither the list nor the stored events hold the key.
    const secret = (res.body.key as string).slice(17);
    expect((await api.request('GET', '/api/me/api-keys', { token: owner.token })).text).not.toContain(secret);
    const events = await api.eventStore.readStream(streams.apiKey(res.body.id));
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(secret);
    // Nobody else sees it.
    const theirs = await api.request('GET', '/api/me/api-keys', { token: viewer.token });
    expect((theirs.body.items as Array<{ id: string }>).map((k) => k.id)).not.toContain(res.body.id);
  });

  it('works on its organization’s routes with its scopes, and records its last use', async () => {
    const { key, id } = await newKey(owner, { permissions: ['vps_view'] });
    const org = owner.organization.id;
    expect((await api.request('GET', `/api/organizations/${org}/vps`, { token: key })).status).toBe(200);
    const self = await api.request('GET', `/api/organizations/${org}`, { token: key });
    expect(self.status).toBe(200);
    expect(self.body.myPermissions).toEqual(['vps_view']);
    // Beyond its scopes, though its owner could: 403, nothing appended.
    const before = await api.eventCount();
    const rename = await api.request('PATCH', `/api/organizations/${org}`, {
      token: key,
      body: { name: 'Renamed by key' },
    });
    expect(rename.status).toBe(403);
    expect(rename.body).toMatchObject({ error: 'forbidden', details: { permission: 'settings_manage' } });
    expect((await api.request('GET', `/api/organizations/${org}/wallet`, { token: key })).status).toBe(403);
    expect(await api.eventCount()).toBe(before);
    const item = await waitFor(
      'last use listed',
      async () => {
        const found = await listed(owner, id);
        return { value: found?.lastUsedAt ? found : undefined, seen: found };
      },
      10_000,
    );
    expect(Date.parse(item.lastUsedAt as string)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('names itself in the actor of every event it appends', async () => {
    const { key, id } = await newKey(owner, { permissions: ['settings_manage'] });
    const res = await api.request('PATCH', `/api/organizations/${owner.organization.id}`, {
      token: key,
      body: { name: 'Olga Hosting' },
    });
    expect(res.status).toBe(200);
    const events = await api.eventStore.readStream(streams.organization(owner.organization.id));
    const renamed = events.filter((e) => e.type === 'OrganizationRenamed').at(-1);
    expect(renamed?.metadata.actor).toMatchObject({ userId: owner.user.id, role: 'customer', apiKeyId: id });
  });

  it('reaches its own organization only: any other is 404, even one its owner belongs to', async () => {
    const { key } = await newKey(viewer, { organizationId: owner.organization.id });
    expect(
      (await api.request('GET', `/api/organizations/${owner.organization.id}`, { token: key })).status,
    ).toBe(200);
    for (const org of [
      viewer.organization.id,
      outsider.organization.id,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await api.request('GET', `/api/organizations/${org}/vps`, { token: key });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
  });

  it.each([
    ['GET', '/api/me'],
    ['GET', '/api/organizations'],
    ['POST', '/api/organizations'],
    ['GET', '/api/me/api-keys'],
    ['POST', '/api/me/api-keys'],
    ['DELETE', '/api/me/api-keys/00000000-0000-4000-8000-000000000000'],
    ['POST', '/api/me/password'],
    ['POST', '/api/me/2fa/setup'],
    ['POST', '/api/me/2fa/disable'],
    ['GET', '/api/me/sessions'],
    ['DELETE', '/api/me/sessions'],
    ['PUT', '/api/me/mail-preferences'],
    ['POST', '/api/auth/email-verification/resend'],
    ['POST', '/api/auth/logout'],
    ['POST', '/api/live/tickets'],
    ['GET', '/api/admin/users'],
    ['GET', '/api/admin/events'],
    ['POST', '/api/admin/projections/users/rebuild'],
  ])('is refused on %s %s (403), appending nothing', async (method, path) => {
    const { key } = await newKey(owner, { permissions: ['vps_view', 'members_manage', 'settings_manage'] });
    const before = await api.eventCount();
    const res = await api.request(method, path, { token: key, body: method === 'GET' ? undefined : {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'api_key_not_allowed', message: expect.any(String) });
    expect(await api.eventCount()).toBe(before);
  });

  it('is refused at once when revoked (401), on every route', async () => {
    const { key, id } = await newKey(owner);
    const path = `/api/organizations/${owner.organization.id}/vps`;
    expect((await api.request('GET', path, { token: key })).status).toBe(200);
    const revoked = await api.request('DELETE', `/api/me/api-keys/${id}`, { token: owner.token });
    expect(revoked.status).toBe(200);
    for (const target of [path, '/api/admin/users']) {
      const res = await api.request('GET', target, { token: key });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('api_key_revoked');
    }
    // Again: nothing new.
    const before = await api.eventCount();
    expect((await api.request('DELETE', `/api/me/api-keys/${id}`, { token: owner.token })).status).toBe(200);
    expect(await api.eventCount()).toBe(before);
    const item = await waitFor(
      'the revocation listed',
      async () => {
        const found = await listed(owner, id);
        return { value: found?.status === 'revoked' ? found : undefined, seen: found };
      },
      10_000,
    );
    expect(item.revokedAt).toEqual(expect.any(String));
  });

  it("is revoked by its owner only: another user's, an unknown and a malformed id are 404", async () => {
    const { key, id } = await newKey(owner);
    const before = await api.eventCount();
    for (const keyId of [id, '00000000-0000-4000-8000-000000000000', 'not-a-key']) {
      const res = await api.request('DELETE', `/api/me/api-keys/${keyId}`, { token: viewer.token });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('api_key_not_found');
    }
    expect(await api.eventCount()).toBe(before);
    expect(
      (await api.request('GET', `/api/organizations/${owner.organization.id}/vps`, { token: key })).status,
    ).toBe(200);
  });

  it('stops working when it expires (401)', async () => {
    const { key } = await newKey(owner, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const path = `/api/organizations/${owner.organization.id}/vps`;
    expect((await api.request('GET', path, { token: key })).status).toBe(200);
    clockOffsetMs = 3_600_000;
    const res = await api.request('GET', path, { token: key });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('api_key_expired');
  });

  it('follows its owner: a role change narrows it, leaving the organization disables it at once', async () => {
    const member = await register('mia@example.com');
    await joinByInvitation(
      api,
      owner.organization.id,
      owner.token,
      { token: member.token, email: 'mia@example.com' },
      'admin',
    );
    const { key } = await newKey(member, {
      organizationId: owner.organization.id,
      permissions: ['vps_view', 'settings_manage'],
    });
    const org = `/api/organizations/${owner.organization.id}`;
    const rename = () => api.request('PATCH', org, { token: key, body: { name: 'Olga Hosting' } });
    expect((await rename()).status).toBe(200);
    await organizationCommand(owner.organization.id, owner.user.id, 'ChangeMemberRole', {
      userId: member.user.id,
      role: 'viewer',
    });
    expect((await rename()).status).toBe(403);
    expect((await api.request('GET', `${org}/vps`, { token: key })).status).toBe(200);
    await organizationCommand(owner.organization.id, owner.user.id, 'RemoveMember', {
      userId: member.user.id,
    });
    expect((await api.request('GET', `${org}/vps`, { token: key })).status).toBe(404);
  });

  it('works only from its allowed addresses', async () => {
    const path = `/api/organizations/${owner.organization.id}/vps`;
    const elsewhere = await newKey(owner, { allowedIps: ['203.0.113.0/24'] });
    const res = await api.request('GET', path, {
      token: elsewhere.key,
      // Not behind a trusted proxy: the header is ignored, the peer address counts.
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('api_key_address_not_allowed');
    const here = await newKey(owner, { allowedIps: ['127.0.0.0/8', '::1'] });
    expect((await api.request('GET', path, { token: here.key })).status).toBe(200);
  });

  it.each([
    ['unknown prefix', 'stx_000000000000_' + '0'.repeat(64)],
    ['malformed', 'stx_nope'],
  ])('refuses a key that is not one (%s): 401', async (_name, key) => {
    const res = await api.request('GET', `/api/organizations/${owner.organization.id}/vps`, { token: key });
    expect(res.status).toBe(401);
  });

  it('refuses a real prefix with a wrong secret: 401', async () => {
    const { key } = await newKey(owner);
    const wrong = `${key.slice(0, 17)}${'f'.repeat(64)}`;
    const res = await api.request('GET', `/api/organizations/${owner.organization.id}/vps`, { token: wrong });
    expect(res.status).toBe(401);
  });

  it('is never granted a permission its creator does not hold, nor an organization they are not in', async () => {
    const before = await api.eventCount();
    const notHeld = await createKey(viewer, {
      organizationId: owner.organization.id,
      permissions: ['vps_view', 'vps_create'],
    });
    expect(notHeld.status).toBe(403);
    expect(notHeld.body).toMatchObject({
      error: 'permission_not_held',
      details: { notHeld: ['vps_create'] },
    });
    const notMember = await createKey(viewer, { organizationId: outsider.organization.id });
    expect(notMember.status).toBe(404);
    expect(await api.eventCount()).toBe(before);
  });

  it.each([
    ['no permissions', { permissions: [] }, 'invalid_permissions'],
    ['an unknown permission', { permissions: ['root'] }, 'invalid_permissions'],
    ['a bad address range', { allowedIps: ['10.0.0.0/40'] }, 'invalid_allowed_ips'],
    ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'invalid_expires_at'],
    ['an expiry that is no instant', { expiresAt: 'tomorrow' }, 'validation_failed'],
    ['an empty name', { name: '' }, 'validation_failed'],
    ['an organization id that is no uuid', { organizationId: 'acme' }, 'validation_failed'],
  ])('refuses %s (400), appending nothing', async (_name, body, error) => {
    const before = await api.eventCount();
    const res = await createKey(owner, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(await api.eventCount()).toBe(before);
  });
});
