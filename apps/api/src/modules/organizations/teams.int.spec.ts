import { startTestApi, type TestApi } from '../../testing/api-test-app';
import { invitationToken, joinByInvitation, verifyEmail } from './testing/invitations.fixture';

/** Invitations by email and custom roles, through the API over a real database. */
let api: TestApi;
let counter = 0;

interface Customer {
  token: string;
  userId: string;
  orgId: string;
  email: string;
}

async function customer(name = 'teams'): Promise<Customer> {
  const email = `${name}${++counter}@example.com`;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `${name} ${counter}` },
  });
  expect(reg.status).toBe(201);
  return { token: reg.body.token, userId: reg.body.user.id, orgId: reg.body.organization.id, email };
}

const verified = async (who: Customer) => (await verifyEmail(api, who, who.userId), who);

function invite(owner: Customer, email: string, role: string, token = owner.token) {
  return api.request('POST', `/api/organizations/${owner.orgId}/invitations`, {
    token,
    body: { email, role },
  });
}

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('invitations', () => {
  test('an invitation answers alike whether the address has an account; only its addressee, verified, can accept', async () => {
    const owner = await customer('owner');
    const bob = await customer('bob');
    const mallory = await verified(await customer('mallory'));

    const toAccount = await invite(owner, bob.email.toUpperCase(), 'member');
    const toNobody = await invite(owner, 'nobody-here@example.com', 'member');
    expect([toAccount.status, toNobody.status]).toEqual([201, 201]);
    expect(Object.keys(toAccount.body).sort()).toEqual(Object.keys(toNobody.body).sort());
    expect(toAccount.body).toMatchObject({ email: bob.email, role: 'member', roleName: 'member' });
    expect(Date.parse(toAccount.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const listed = await api.request('GET', `/api/organizations/${owner.orgId}/invitations`, {
      token: owner.token,
      headers: { 'X-Min-Position': toNobody.body.position },
    });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: { email: string }) => i.email)).toEqual([
      bob.email,
      'nobody-here@example.com',
    ]);
    expect(JSON.stringify(listed.body)).not.toMatch(/token|sealed/i);

    const count = await api.eventCount();
    const again = await invite(owner, bob.email, 'viewer');
    expect({ status: again.status, error: again.body.error }).toEqual({
      status: 409,
      error: 'already_invited',
    });
    const member = await invite(owner, owner.email, 'viewer');
    expect({ status: member.status, error: member.body.error }).toEqual({
      status: 409,
      error: 'already_member',
    });

    // Not a member before accepting.
    expect((await api.request('GET', `/api/organizations/${owner.orgId}`, { token: bob.token })).status).toBe(
      404,
    );
    const link = await invitationToken(api, owner.orgId, bob.email);
    const unverified = await api.request('POST', `/api/invitations/${link}/accept`, { token: bob.token });
    expect({ status: unverified.status, error: unverified.body.error }).toEqual({
      status: 403,
      error: 'email_not_verified',
    });
    for (const method of ['GET', 'POST'] as const) {
      const path = method === 'GET' ? `/api/invitations/${link}` : `/api/invitations/${link}/accept`;
      const someoneElse = await api.request(method, path, { token: mallory.token });
      expect({ status: someoneElse.status, error: someoneElse.body.error }).toEqual({
        status: 403,
        error: 'invitation_for_another_email',
      });
      expect(someoneElse.text).not.toContain(bob.email);
      expect(someoneElse.text).not.toContain(owner.orgId);
    }
    const forged = await api.request('POST', `/api/invitations/${owner.orgId}.${'A'.repeat(43)}/accept`, {
      token: bob.token,
    });
    expect({ status: forged.status, error: forged.body.error }).toEqual({
      status: 404,
      error: 'invitation_not_found',
    });
    expect(await api.eventCount()).toBe(count);

    await verifyEmail(api, bob, bob.userId);
    const shown = await api.request('GET', `/api/invitations/${link}`, { token: bob.token });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      organizationId: owner.orgId,
      email: bob.email,
      role: 'member',
      roleName: 'member',
      invitedByName: expect.stringContaining('owner'),
    });
    const accepted = await api.request('POST', `/api/invitations/${link}/accept`, { token: bob.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ organizationId: owner.orgId, answer: 'accepted' });
    // A member at once (the guard folds the organization's stream).
    const org = await api.request('GET', `/api/organizations/${owner.orgId}`, { token: bob.token });
    expect(org.body).toMatchObject({ myRole: 'member', myRoleName: 'member' });

    const twice = await api.request('POST', `/api/invitations/${link}/accept`, { token: bob.token });
    expect({ status: twice.status, error: twice.body.error }).toEqual({
      status: 410,
      error: 'invitation_accepted',
    });
    const after = await api.request('GET', `/api/organizations/${owner.orgId}/invitations`, {
      token: owner.token,
      headers: { 'X-Min-Position': accepted.body.position },
    });
    expect(after.body.items.map((i: { email: string }) => i.email)).toEqual(['nobody-here@example.com']);
  });

  test('a revoked invitation, and a declined one, are gone', async () => {
    const owner = await customer('owner');
    const carol = await verified(await customer('carol'));
    const dave = await verified(await customer('dave'));
    const invited = await invite(owner, carol.email, 'viewer');
    expect(invited.status).toBe(201);
    const revoked = await api.request(
      'DELETE',
      `/api/organizations/${owner.orgId}/invitations/${invited.body.invitationId}`,
      { token: owner.token },
    );
    expect(revoked.status).toBe(200);
    const revokedAgain = await api.request(
      'DELETE',
      `/api/organizations/${owner.orgId}/invitations/${invited.body.invitationId}`,
      { token: owner.token },
    );
    expect({ status: revokedAgain.status, error: revokedAgain.body.error }).toEqual({
      status: 410,
      error: 'invitation_revoked',
    });
    const carolLink = await invitationToken(api, owner.orgId, carol.email);
    const late = await api.request('POST', `/api/invitations/${carolLink}/accept`, { token: carol.token });
    expect({ status: late.status, error: late.body.error }).toEqual({
      status: 410,
      error: 'invitation_revoked',
    });
    // Once revoked, the address can be invited again.
    expect((await invite(owner, carol.email, 'viewer')).status).toBe(201);

    expect((await invite(owner, dave.email, 'viewer')).status).toBe(201);
    const daveLink = await invitationToken(api, owner.orgId, dave.email);
    const declined = await api.request('POST', `/api/invitations/${daveLink}/decline`, { token: dave.token });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ answer: 'declined', organizationId: owner.orgId });
    const thenAccept = await api.request('POST', `/api/invitations/${daveLink}/accept`, {
      token: dave.token,
    });
    expect({ status: thenAccept.status, error: thenAccept.body.error }).toEqual({
      status: 410,
      error: 'invitation_declined',
    });
    expect(
      (await api.request('GET', `/api/organizations/${owner.orgId}`, { token: dave.token })).status,
    ).toBe(404);
  });
});

describe('custom roles', () => {
  test('created from the nineteen permissions, given to members and invitations, in force at once, deletable once unused', async () => {
    const owner = await customer('owner');
    const erin = await customer('erin');
    const created = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: owner.token,
      body: { name: 'Billing clerk', permissions: ['billing_manage', 'billing_view'] },
    });
    expect(created.status).toBe(201);
    const roleId = created.body.role.roleId as string;
    expect(created.body.role).toEqual({
      roleId,
      name: 'Billing clerk',
      builtIn: false,
      permissions: ['billing_view', 'billing_manage'],
    });
    const taken = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: owner.token,
      body: { name: 'billing CLERK', permissions: ['vps_view'] },
    });
    expect({ status: taken.status, error: taken.body.error }).toEqual({
      status: 409,
      error: 'role_name_taken',
    });

    await joinByInvitation(api, owner.orgId, owner.token, erin, roleId);
    const wallet = await api.request('GET', `/api/organizations/${owner.orgId}/wallet`, {
      token: erin.token,
    });
    expect(wallet.status).toBe(200);
    const servers = await api.request('GET', `/api/organizations/${owner.orgId}/vps`, { token: erin.token });
    expect({ status: servers.status, details: servers.body.details }).toEqual({
      status: 403,
      details: { permission: 'vps_view', role: roleId },
    });
    expect(servers.body.message).toContain('Billing clerk');

    const roles = await api.request('GET', `/api/organizations/${owner.orgId}/roles`, {
      token: erin.token,
      headers: { 'X-Min-Position': created.body.position },
    });
    expect(roles.status).toBe(200);
    expect(roles.body.items.map((r: { name: string; builtIn: boolean }) => [r.name, r.builtIn])).toEqual([
      ['owner', true],
      ['admin', true],
      ['member', true],
      ['vps_manager', true],
      ['hosting_manager', true],
      ['support_agent', true],
      ['viewer', true],
      ['Billing clerk', false],
    ]);
    const me = await api.request('GET', '/api/me', { token: erin.token });
    expect(me.body.memberships).toContainEqual(
      expect.objectContaining({
        organizationId: owner.orgId,
        role: roleId,
        roleName: 'Billing clerk',
        permissions: ['billing_view', 'billing_manage'],
      }),
    );

    // Narrowing the role takes billing away from its members at once.
    const narrowed = await api.request('PATCH', `/api/organizations/${owner.orgId}/roles/${roleId}`, {
      token: owner.token,
      body: { permissions: ['vps_view'] },
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.role).toMatchObject({ name: 'Billing clerk', permissions: ['vps_view'] });
    expect(
      (await api.request('GET', `/api/organizations/${owner.orgId}/wallet`, { token: erin.token })).status,
    ).toBe(403);
    expect(
      (await api.request('GET', `/api/organizations/${owner.orgId}/vps`, { token: erin.token })).status,
    ).toBe(200);

    for (const [method, body] of [
      ['PATCH', { name: 'Boss' }],
      ['DELETE', undefined],
    ] as const) {
      const builtIn = await api.request(method, `/api/organizations/${owner.orgId}/roles/owner`, {
        token: owner.token,
        body,
      });
      expect({ status: builtIn.status, error: builtIn.body.error }).toEqual({
        status: 409,
        error: 'built_in_role',
      });
    }
    const inUse = await api.request('DELETE', `/api/organizations/${owner.orgId}/roles/${roleId}`, {
      token: owner.token,
    });
    expect(inUse.status).toBe(409);
    expect(inUse.body).toMatchObject({ error: 'role_in_use', details: { members: 1, invitations: 0 } });
    const reassigned = await api.request(
      'PATCH',
      `/api/organizations/${owner.orgId}/members/${erin.userId}`,
      {
        token: owner.token,
        body: { role: 'viewer' },
      },
    );
    expect(reassigned.status).toBe(200);
    const deleted = await api.request('DELETE', `/api/organizations/${owner.orgId}/roles/${roleId}`, {
      token: owner.token,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.role).toBeNull();
    const unknown = await api.request('PATCH', `/api/organizations/${owner.orgId}/members/${erin.userId}`, {
      token: owner.token,
      body: { role: roleId },
    });
    expect({ status: unknown.status, error: unknown.body.error }).toEqual({
      status: 400,
      error: 'invalid_role',
    });
  });

  test('nobody creates, gives or edits a role with a permission they do not hold', async () => {
    const owner = await customer('owner');
    const lead = await customer('lead');
    const created = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: owner.token,
      body: {
        name: 'Team lead',
        permissions: ['vps_view', 'notes_view', 'tickets_view', 'hosting_view', 'members_manage'],
      },
    });
    expect(created.status).toBe(201);
    await joinByInvitation(api, owner.orgId, owner.token, lead, created.body.role.roleId);

    const count = await api.eventCount();
    const wider = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: lead.token,
      body: { name: 'Accountant', permissions: ['billing_view'] },
    });
    expect(wider.status).toBe(403);
    expect(wider.body).toMatchObject({
      error: 'permission_not_held',
      details: { notHeld: ['billing_view'] },
    });
    const inviteAdmin = await invite(owner, 'someone@example.com', 'admin', lead.token);
    expect({ status: inviteAdmin.status, error: inviteAdmin.body.error }).toEqual({
      status: 403,
      error: 'permission_not_held',
    });
    const demoteOwner = await api.request(
      'PATCH',
      `/api/organizations/${owner.orgId}/members/${owner.userId}`,
      {
        token: lead.token,
        body: { role: 'viewer' },
      },
    );
    expect({ status: demoteOwner.status, error: demoteOwner.body.error }).toEqual({
      status: 403,
      error: 'permission_not_held',
    });
    const widenOwn = await api.request(
      'PATCH',
      `/api/organizations/${owner.orgId}/roles/${created.body.role.roleId as string}`,
      { token: lead.token, body: { permissions: ['vps_view', 'members_manage', 'billing_manage'] } },
    );
    expect({ status: widenOwn.status, error: widenOwn.body.error }).toEqual({
      status: 403,
      error: 'permission_not_held',
    });
    expect(await api.eventCount()).toBe(count);

    // Within their own permissions, they manage members.
    expect((await invite(owner, 'reader@example.com', 'viewer', lead.token)).status).toBe(201);
  });
});

describe('API keys', () => {
  test('a key hands out no permission beyond its scopes, whatever its owner holds', async () => {
    const owner = await customer('owner');
    const key = await api.request('POST', '/api/me/api-keys', {
      token: owner.token,
      body: {
        name: 'inviter',
        organizationId: owner.orgId,
        permissions: ['members_manage', 'vps_view', 'notes_view', 'tickets_view', 'hosting_view'],
      },
    });
    expect(key.status).toBe(201);
    const count = await api.eventCount();
    const asOwner = await invite(owner, 'boss@example.com', 'owner', key.body.key as string);
    expect({ status: asOwner.status, error: asOwner.body.error }).toEqual({
      status: 403,
      error: 'permission_not_held',
    });
    const wideRole = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: key.body.key as string,
      body: { name: 'Accounts', permissions: ['billing_manage'] },
    });
    expect({ status: wideRole.status, error: wideRole.body.error }).toEqual({
      status: 403,
      error: 'permission_not_held',
    });
    expect(await api.eventCount()).toBe(count);
    expect((await invite(owner, 'reader@example.com', 'viewer', key.body.key as string)).status).toBe(201);
  });
});

describe('security', () => {
  test('anonymous 401, another organization 404, a member without members_manage 403, and nothing appended', async () => {
    const owner = await customer('owner');
    const viewer = await customer('viewer');
    const stranger = await customer('stranger');
    await joinByInvitation(api, owner.orgId, owner.token, viewer, 'viewer');
    const invited = await invite(owner, 'pending@example.com', 'viewer');
    const role = await api.request('POST', `/api/organizations/${owner.orgId}/roles`, {
      token: owner.token,
      body: { name: 'Readers', permissions: ['vps_view'] },
    });
    const base = `/api/organizations/${owner.orgId}`;
    const routes: [string, string, unknown?][] = [
      ['GET', `${base}/invitations`],
      ['POST', `${base}/invitations`, { email: 'x@example.com', role: 'viewer' }],
      ['DELETE', `${base}/invitations/${invited.body.invitationId as string}`],
      ['POST', `${base}/roles`, { name: 'Mine', permissions: ['vps_view'] }],
      ['PATCH', `${base}/roles/${role.body.role.roleId as string}`, { name: 'Mine' }],
      ['DELETE', `${base}/roles/${role.body.role.roleId as string}`],
    ];
    const count = await api.eventCount();
    for (const [method, path, body] of routes) {
      const anonymous = await api.request(method, path, { body });
      const other = await api.request(method, path, { body, token: stranger.token });
      const lower = await api.request(method, path, { body, token: viewer.token });
      expect({ method, path, statuses: [anonymous.status, other.status, lower.status] }).toEqual({
        method,
        path,
        statuses: [401, 404, 403],
      });
      expect(other.text).not.toContain('pending@example.com');
    }
    // The roles are no secret to a member (what each may do), but are to everyone else.
    const listRoles = await Promise.all([
      api.request('GET', `${base}/roles`),
      api.request('GET', `${base}/roles`, { token: stranger.token }),
      api.request('GET', `${base}/roles`, { token: viewer.token }),
    ]);
    expect(listRoles.map((r) => r.status)).toEqual([401, 404, 200]);
    // Following a link needs a session, and only its addressee gets further than "not yours".
    const link = await invitationToken(api, owner.orgId, 'pending@example.com');
    for (const [method, path] of [
      ['GET', `/api/invitations/${link}`],
      ['POST', `/api/invitations/${link}/accept`],
      ['POST', `/api/invitations/${link}/decline`],
    ] as const) {
      const anonymous = await api.request(method, path);
      const other = await api.request(method, path, { token: stranger.token });
      expect({ path, statuses: [anonymous.status, other.status] }).toEqual({ path, statuses: [401, 403] });
    }
    expect(await api.eventCount()).toBe(count);
  });
});
