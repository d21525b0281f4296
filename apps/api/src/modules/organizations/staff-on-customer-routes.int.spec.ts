import { startTestApi, TEST_ADMIN, type TestApi } from '../../testing/api-test-app';
import { joinByInvitation } from './testing/invitations.fixture';

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
    const admin = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(admin.status).toBe(200);
    const invitees = [
      [{ token: admin.body.token as string, email: TEST_ADMIN.email }, 'viewer'],
      [{ token: other.body.token as string, email: 'other@example.com' }, 'member'],
    ] as const;
    for (const [invitee, role] of invitees) {
      await joinByInvitation(api, organizationId, owner.body.token, invitee, role);
    }

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
