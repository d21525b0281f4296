import { joinByInvitation } from './modules/organizations/testing/invitations.fixture';
import { ACCESS_EXTENSION, type OperationAccess } from './shared/http/openapi-conventions';
import { startTestApi, type HttpResult, type TestApi } from './testing/api-test-app';

/**
 * The project's own security matrix, generated from the served OpenAPI document: every operation is tried by
 * everyone who must be refused (anonymous, another tenant, members whose role lacks the operation's
 * permission, an API key off the organization routes, for another organization or without the scope), and each refusal must be the expected status, carry no data of the victim, and append no
 * event. Every operation must say who may call it: public operations and the ones acting on the caller alone
 * are pinned below, so a new route without a guard fails here until someone decides what it is.
 */

/** Reachable without a token. */
const PUBLIC_OPERATIONS = [
  'GET /api/health',
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/login/mfa',
  'POST /api/auth/email-verification',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
  'GET /api/vps/plans',
  // Protected by METRICS_TOKEN when set (or served on a separate port), not by a session.
  'GET /metrics',
  'POST /api/webhooks/paypal',
  'POST /api/webhooks/stripe',
];

/** Any signed-in user, acting on themselves or creating something of their own (no organization in the path). */
const CALLER_OPERATIONS = [
  'POST /api/auth/logout',
  'GET /api/me',
  'GET /api/me/memberships',
  'POST /api/me/password',
  'GET /api/me/sessions',
  'DELETE /api/me/sessions',
  'DELETE /api/me/sessions/{sessionId}',
  'POST /api/me/2fa/setup',
  'POST /api/me/2fa/enable',
  'POST /api/me/2fa/disable',
  'POST /api/me/active-organization',
  'GET /api/me/mail-preferences',
  'PUT /api/me/mail-preferences',
  'POST /api/organizations',
  'GET /api/organizations',
  'POST /api/live/tickets',
  'POST /api/auth/email-verification/resend',
  'GET /api/vps/regions',
  'GET /api/vps/images',
  // An invitation link: the invitation is the caller's only if it was sent to their verified address.
  'GET /api/invitations/{token}',
  'POST /api/invitations/{token}/accept',
  'POST /api/invitations/{token}/decline',
  'POST /api/me/api-keys',
  'GET /api/me/api-keys',
  'DELETE /api/me/api-keys/{keyId}',
  'POST /api/me/impersonation/stop',
];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  key: string;
  method: string;
  path: string;
  access: OperationAccess | undefined;
  isPublic: boolean;
}

interface Principal {
  token: string;
  userId: string;
}

let api: TestApi;
let operations: Operation[];
let victim: Principal & { organizationId: string; organizationName: string; email: string };
let stranger: Principal & { organizationId: string };
/** The victim's API key for their organization, with one scope. */
let victimKey: string;
const KEY_SCOPE = 'vps_view';
const roleMembers = new Map<string, Principal>();
/** The predefined roles with fewer rights than the owner that a matrix row is tried with. */
const LOWER_ROLES = ['viewer', 'member', 'support_agent', 'vps_manager'] as const;
/** A custom role of the victim's organization, resolved by the same check as the predefined ones. */
const CUSTOM_ROLE = { name: 'Server readers', permissions: ['vps_view', 'notes_view'] };

async function register(email: string): Promise<Principal & { organizationId: string }> {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: email.split('@')[0] },
  });
  expect(res.status).toBe(201);
  return { token: res.body.token, userId: res.body.user.id, organizationId: res.body.organization.id };
}

beforeAll(async () => {
  api = await startTestApi();
  const document = (await api.request('GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { security?: unknown[]; [ACCESS_EXTENSION]?: OperationAccess }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        access: operation[ACCESS_EXTENSION],
        isPublic: Array.isArray(operation.security) && operation.security.length === 0,
      };
    }),
  );

  const alice = await register('victim@example.com');
  const organization = await api.request('GET', `/api/organizations/${alice.organizationId}`, {
    token: alice.token,
  });
  victim = {
    ...alice,
    email: 'victim@example.com',
    organizationName: organization.body.name,
  };
  stranger = await register('stranger@example.com');
  for (const role of LOWER_ROLES) {
    const member = await register(`${role}@example.com`);
    await joinByInvitation(
      api,
      victim.organizationId,
      victim.token,
      { token: member.token, email: `${role}@example.com` },
      role,
    );
    roleMembers.set(role, member);
  }
  const custom = await api.request('POST', `/api/organizations/${victim.organizationId}/roles`, {
    token: victim.token,
    body: CUSTOM_ROLE,
  });
  expect(custom.status).toBe(201);
  const reader = await register('reader@example.com');
  await joinByInvitation(
    api,
    victim.organizationId,
    victim.token,
    { token: reader.token, email: 'reader@example.com' },
    custom.body.role.roleId as string,
  );
  roleMembers.set(CUSTOM_ROLE.name, reader);
  const key = await api.request('POST', '/api/me/api-keys', {
    token: victim.token,
    body: { name: 'matrix', organizationId: victim.organizationId, permissions: [KEY_SCOPE] },
  });
  expect(key.status).toBe(201);
  victimKey = key.body.key;
});

afterAll(async () => {
  await api?.close();
});

/** The operation's path with the victim's organization and an id of nothing for every other parameter. */
function victimPath(operation: Operation): string {
  return operation.path.replace('{orgId}', victim.organizationId).replace(/\{[^}]+\}/g, UNKNOWN_ID);
}

async function attempt(operation: Operation, token: string | undefined): Promise<HttpResult> {
  const before = await api.eventCount();
  const res = await api.request(operation.method, victimPath(operation), {
    token,
    body: operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {},
  });
  expect({ operation: operation.key, appended: (await api.eventCount()) - before }).toEqual({
    operation: operation.key,
    appended: 0,
  });
  return res;
}

/** A refusal is the one error body and nothing of the victim's. */
function expectRefusal(operation: Operation, res: HttpResult, status: number, error: string) {
  expect({ operation: operation.key, status: res.status, error: res.body?.error }).toEqual({
    operation: operation.key,
    status,
    error,
  });
  expect(Object.keys(res.body).sort()).toEqual(
    expect.arrayContaining(['error', 'message'].filter((key) => key in res.body)),
  );
  for (const key of Object.keys(res.body)) expect(['error', 'message', 'details']).toContain(key);
  expect(res.text).not.toContain(victim.email);
  expect(res.text).not.toContain(victim.organizationName);
}

describe('every operation says who may call it', () => {
  test('the public operations are exactly the pinned ones', () => {
    expect(
      operations
        .filter((operation) => operation.isPublic)
        .map((operation) => operation.key)
        .sort(),
    ).toEqual([...PUBLIC_OPERATIONS].sort());
  });

  test('every other operation is an organization member’s, a platform admin’s, or the caller’s own', () => {
    const unaccounted = operations.filter(
      (operation) =>
        !operation.isPublic && operation.access === undefined && !CALLER_OPERATIONS.includes(operation.key),
    );
    expect(unaccounted.map((operation) => operation.key)).toEqual([]);
    for (const operation of operations) {
      if (operation.path.startsWith('/api/organizations/{orgId}')) {
        expect({ operation: operation.key, access: operation.access?.kind }).toEqual({
          operation: operation.key,
          access: 'organization-member',
        });
      }
      if (operation.path.startsWith('/api/admin/')) {
        expect({ operation: operation.key, access: operation.access?.kind }).toEqual({
          operation: operation.key,
          access: 'platform-admin',
        });
      }
    }
  });
});

describe('refusals', () => {
  test('anonymous: every non-public operation is a 401', async () => {
    for (const operation of operations.filter((candidate) => !candidate.isPublic)) {
      expectRefusal(operation, await attempt(operation, undefined), 401, 'unauthorized');
    }
  });

  test('another tenant: every operation on the victim’s organization is a 404', async () => {
    for (const operation of operations.filter(
      (candidate) => candidate.access?.kind === 'organization-member',
    )) {
      expectRefusal(operation, await attempt(operation, stranger.token), 404, 'not_found');
    }
  });

  test('a customer: every platform-admin operation is a 403', async () => {
    for (const operation of operations.filter((candidate) => candidate.access?.kind === 'platform-admin')) {
      expectRefusal(operation, await attempt(operation, victim.token), 403, 'forbidden');
    }
  });

  test('an API key: every operation off the organization routes is a 403', async () => {
    for (const operation of operations.filter(
      (candidate) => !candidate.isPublic && candidate.access?.kind !== 'organization-member',
    )) {
      expectRefusal(operation, await attempt(operation, victimKey), 403, 'api_key_not_allowed');
    }
  });

  test('an API key: another organization is a 404, and every operation needing another scope a 403', async () => {
    const organizationOperations = operations.filter(
      (candidate) => candidate.access?.kind === 'organization-member',
    );
    for (const operation of organizationOperations) {
      const path = operation.path
        .replace('{orgId}', stranger.organizationId)
        .replace(/\{[^}]+\}/g, UNKNOWN_ID);
      const before = await api.eventCount();
      const res = await api.request(operation.method, path, {
        token: victimKey,
        body: operation.method === 'GET' || operation.method === 'DELETE' ? undefined : {},
      });
      expect({
        operation: operation.key,
        status: res.status,
        appended: (await api.eventCount()) - before,
      }).toEqual({ operation: operation.key, status: 404, appended: 0 });
    }
    const refused = organizationOperations.filter(
      (candidate) =>
        candidate.access?.kind === 'organization-member' &&
        candidate.access.permission !== null &&
        candidate.access.permission !== KEY_SCOPE,
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const operation of refused) {
      expectRefusal(operation, await attempt(operation, victimKey), 403, 'forbidden');
    }
  });

  test.each([...LOWER_ROLES, CUSTOM_ROLE.name])(
    'a %s of the organization: every operation needing a permission the role lacks is a 403',
    async (role) => {
      const member = roleMembers.get(role)!;
      const me = await api.request('GET', '/api/me/memberships', { token: member.token });
      const membership = (me.body.items ?? me.body).find(
        (candidate: { organizationId: string }) => candidate.organizationId === victim.organizationId,
      );
      const held = new Set<string>(membership.permissions);
      const refused = operations.filter(
        (candidate) =>
          candidate.access?.kind === 'organization-member' &&
          candidate.access.permission !== null &&
          !held.has(candidate.access.permission),
      );
      expect(refused.length).toBeGreaterThan(0);
      for (const operation of refused) {
        expectRefusal(operation, await attempt(operation, member.token), 403, 'forbidden');
      }
    },
  );
});
