import { startTestApi, TEST_ADMIN, type TestApi } from '../../testing/api-test-app';

/** On customer routes (/api/organizations/...) a platform admin is just a member: their organization role decides. */
describe('a platform admin on customer routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('acts only with their organization role', async () => {
    const owner = await api.request('POST', '/api/auth/register', {
      body: { email: 'owner@example.com', password: 'owner-password-1', name: 'Owner' },
    });
    const other = await api.request('POST', '/api/auth/register', {
      body: { email: 'other@example.com', password: 'other-password-1', name: 'Other' },
    });
    expect([owner.status, other.status]).toEqual([201, 201]);
    const organizationId = owner.body.organization.id as string;
    for (const [email, role] of [
      [TEST_ADMIN.email, 'viewer'],
      ['other@example.com', 'member'],
    ]) {
      const added = await api.request('POST', `/api/organizations/${organizationId}/members`, {
        token: owner.body.token,
        body: { email, role },
      });
      expect(added.status).toBe(201);
    }
    const admin = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(admin.status).toBe(200);

    const before = await api.eventCount();
    const removed = await api.request(
      'DELETE',
      `/api/organizations/${organizationId}/members/${other.body.user.id as string}`,
      { token: admin.body.token },
    );
    expect({ status: removed.status, error: removed.body.error }).toEqual({
      status: 403,
      error: 'missing_permission',
    });
    expect(await api.eventCount()).toBe(before);
  });
});
