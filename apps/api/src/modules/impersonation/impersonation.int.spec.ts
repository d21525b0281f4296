import { streams } from '@stratus/domain';
import { waitFor } from '@stratus/infra/testing';
import { signInAdmin, startTestApi, type TestApi } from '../../testing/api-test-app';

interface Registered {
  token: string;
  user: { id: string };
  organization: { id: string };
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
    sub: string;
    sid: string;
    imp?: string;
    iat: number;
    exp: number;
  };

/**
 * Staff impersonation: a platform admin opens a session as a customer, for a reason, for an hour at most; everything
 * appended in it names the staff member; money, credentials and mail settings are refused; it ends on stop.
 */
describe('staff impersonation', () => {
  let api: TestApi;
  let staff: { token: string; user: { id: string } };
  let customer: Registered;

  beforeAll(async () => {
    api = await startTestApi();
    staff = await signInAdmin(api);
    customer = await register('cleo@example.com');
  });
  afterAll(async () => {
    await api?.close();
  });

  async function register(email: string): Promise<Registered> {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'long-password-123', name: email.split('@')[0] },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function impersonate(userId: string, reason = 'Ticket 4821: cannot create a server') {
    return api.request('POST', `/api/admin/users/${userId}/impersonate`, {
      token: staff.token,
      body: { reason },
    });
  }

  async function session(userId = customer.user.id): Promise<string> {
    const res = await impersonate(userId);
    expect(res.status).toBe(201);
    return res.body.token as string;
  }

  it('gives staff a session as the user, for at most an hour, recorded on the user’s stream', async () => {
    const res = await impersonate(customer.user.id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      token: expect.any(String),
      sessionId: expect.any(String),
      expiresAt: expect.any(String),
      user: { id: customer.user.id, email: 'cleo@example.com', platformRole: 'customer' },
    });
    const claims = claimsOf(res.body.token);
    expect(claims).toMatchObject({ sub: customer.user.id, sid: res.body.sessionId, imp: staff.user.id });
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeLessThanOrEqual(3600_000);

    const me = await api.request('GET', '/api/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: customer.user.id }, impersonatorId: staff.user.id });
    expect((await api.request('GET', '/api/me', { token: customer.token })).body.impersonatorId).toBeNull();

    const events = await api.eventStore.readStream(streams.user(customer.user.id));
    const started = events.find((e) => e.type === 'ImpersonationStarted');
    expect(started?.data).toMatchObject({
      sessionId: res.body.sessionId,
      impersonatorId: staff.user.id,
      reason: 'Ticket 4821: cannot create a server',
    });
    expect(started?.metadata.actor).toMatchObject({ userId: staff.user.id, role: 'admin' });
  });

  it('names the staff member in every event appended in the session', async () => {
    const token = await session();
    const res = await api.request('PATCH', `/api/organizations/${customer.organization.id}`, {
      token,
      body: { name: 'Renamed with help' },
    });
    expect(res.status).toBe(200);
    const events = await api.eventStore.readStream(streams.organization(customer.organization.id));
    expect(events.at(-1)?.metadata.actor).toMatchObject({
      userId: customer.user.id,
      role: 'customer',
      impersonatorId: staff.user.id,
    });
  });

  it.each([
    ['POST', '/api/organizations/:orgId/payments', { amount: '10.00', provider: 'paypal' }],
    ['POST', '/api/organizations/:orgId/payments/00000000-0000-4000-8000-000000000000/capture', undefined],
    ['POST', '/api/me/password', { currentPassword: 'long-password-123', newPassword: 'another-password-9' }],
    ['POST', '/api/me/2fa/setup', undefined],
    ['POST', '/api/me/2fa/enable', { code: '123456' }],
    ['POST', '/api/me/2fa/disable', { password: 'long-password-123', code: '123456' }],
    ['POST', '/api/me/api-keys', { name: 'k', organizationId: 'the customer’s', permissions: ['vps_view'] }],
    ['DELETE', '/api/me/api-keys/00000000-0000-4000-8000-000000000000', undefined],
    ['PUT', '/api/me/mail-preferences', { optedOut: ['low_balance'] }],
    ['DELETE', '/api/me/sessions', undefined],
    ['DELETE', '/api/me/sessions/00000000-0000-4000-8000-000000000000', undefined],
  ] as Array<[string, string, Record<string, unknown> | undefined]>)(
    'refuses %s %s while impersonating (403), appending nothing',
    async (method, path, body) => {
      const token = await session();
      const before = await api.eventCount();
      const withOrganization =
        body && 'organizationId' in body ? { ...body, organizationId: customer.organization.id } : body;
      const res = await api.request(method, path.replace(':orgId', customer.organization.id), {
        token,
        body: withOrganization,
        headers: { 'Idempotency-Key': 'imp-1' },
      });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'impersonation_forbidden', message: expect.any(String) });
      expect(await api.eventCount()).toBe(before);
    },
  );

  it('does not reach /api/admin with the session, whoever opened it', async () => {
    const token = await session();
    expect((await api.request('GET', '/api/admin/users', { token })).status).toBe(403);
  });

  it('ends on stop: the session is refused, ImpersonationEnded is recorded, the staff session lives on', async () => {
    const token = await session();
    const { sid } = claimsOf(token);
    const stop = await api.request('POST', '/api/me/impersonation/stop', { token });
    expect(stop.status).toBe(200);
    expect(stop.body.revokedSessionIds).toEqual([sid]);
    expect((await api.request('GET', '/api/me', { token })).status).toBe(401);
    expect((await api.request('GET', '/api/admin/users', { token: staff.token })).status).toBe(200);
    const events = await api.eventStore.readStream(streams.user(customer.user.id));
    const ended = events.find(
      (e) => e.type === 'ImpersonationEnded' && (e.data as { sessionId: string }).sessionId === sid,
    );
    expect(ended?.data).toMatchObject({ impersonatorId: staff.user.id });
    expect(ended?.metadata.actor).toMatchObject({ userId: customer.user.id, impersonatorId: staff.user.id });
  });

  it('ends on logout too, on the record', async () => {
    const token = await session();
    const { sid } = claimsOf(token);
    expect((await api.request('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await api.request('GET', '/api/me', { token })).status).toBe(401);
    const events = await api.eventStore.readStream(streams.user(customer.user.id));
    expect(
      events.some(
        (e) => e.type === 'ImpersonationEnded' && (e.data as { sessionId: string }).sessionId === sid,
      ),
    ).toBe(true);
  });

  it('has nothing to stop in the user’s own session (409)', async () => {
    const res = await api.request('POST', '/api/me/impersonation/stop', { token: customer.token });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('not_impersonating');
  });

  it('refuses to impersonate platform staff (403), appending nothing', async () => {
    const before = await api.eventCount();
    const res = await impersonate(staff.user.id);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('staff_not_impersonable');
    expect(await api.eventCount()).toBe(before);
  });

  it('is for platform staff only, needs a reason and an existing user, and appends nothing when refused', async () => {
    const other = await register('carl@example.com');
    const before = await api.eventCount();
    const path = `/api/admin/users/${customer.user.id}/impersonate`;
    expect((await api.request('POST', path, { body: { reason: 'x' } })).status).toBe(401);
    expect((await api.request('POST', path, { token: other.token, body: { reason: 'x' } })).status).toBe(403);
    const noReason = await api.request('POST', path, { token: staff.token, body: {} });
    expect(noReason.status).toBe(400);
    const blank = await api.request('POST', path, { token: staff.token, body: { reason: '   ' } });
    expect(blank.status).toBe(400);
    for (const userId of ['00000000-0000-4000-8000-000000000000', 'nobody']) {
      const res = await impersonate(userId);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('user_not_found');
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('shows the session in the user’s session list, marked as staff access', async () => {
    const token = await session();
    const { sid } = claimsOf(token);
    const listed = await waitFor(
      'the session listed',
      async () => {
        const res = await api.request('GET', '/api/me/sessions', { token: customer.token });
        const found = (res.body.sessions as Array<{ id: string; staffAccess: boolean }>).find(
          (s) => s.id === sid,
        );
        return { value: found, seen: res.body };
      },
      10_000,
    );
    expect(listed.staffAccess).toBe(true);
    const own = await api.request('GET', '/api/me/sessions', { token: customer.token });
    expect(own.body.sessions.find((s: { current: boolean }) => s.current)).toMatchObject({
      staffAccess: false,
    });
  });
});
