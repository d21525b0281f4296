/**
 * The forms kit, customer and staff: reading and checking posted fields, the API's refusals beside the right field
 * (one failure shape), and the customer actions against a local HTTP server standing in for the API (what they send,
 * and what the page answers).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiRequestError } from './api-client';
import { failureOf, noticeOf } from '../action-result';
import {
  acceptInvitationAction,
  addFundsAction,
  createRoleAction,
  inviteAction,
  apiKeyFailureFromApi,
  parseApiKeyForm,
  parseImpersonationForm,
  revokeApiKeyAction,
  centsProblem,
  billingProfileAction,
  changePasswordAction,
  forgotPasswordAction,
  resetPasswordAction,
  revokeOtherSessionsAction,
  revokeSessionAction,
  verifyEmailAction,
  disableTwoFactorAction,
  enableTwoFactorAction,
  createServerAction,
  addSshKeyAction,
  deleteSshKeyAction,
  renameServerAction,
  reverseDnsAction,
  rebuildServerAction,
  resizeServerAction,
  backupsAction,
  failureFromApi,
  instantField,
  loginAction,
  mailPreferencesAction,
  moneyProblem,
  parseCreditForm,
  parsePlanForm,
  parseProvisioningActionForm,
  parseReconciliationForm,
  parseRefundForm,
  parseResolveForm,
  parseTaxRatesForm,
  planChanges,
  powerAction,
  registerAction,
  safeNext,
  sameMoney,
  splitRegions,
  switchOrganizationAction,
  twoFactorLoginAction,
  typedMicros,
} from './forms';

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};
const VPS = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('parseCreditForm', () => {
  test('a typed amount becomes a plain decimal string; the idempotency key is carried', () => {
    expect(
      parseCreditForm(formOf({ amount: ' $1,250.50 ', reason: ' Goodwill ', idempotencyKey: 'k-1' })),
    ).toEqual({
      ok: true,
      value: { amount: '1250.50', reason: 'Goodwill', idempotencyKey: 'k-1' },
    });
  });

  test.each([
    ['', 'Amount is required'],
    ['0', 'Amount must not be zero'],
    ['0.000000', 'Amount must not be zero'],
    ['-5', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
    ['1.2345678', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
    ['1e3', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
  ])('amount %j: %s, beside the field, what was typed kept', (amount, message) => {
    const parsed = parseCreditForm(formOf({ amount, reason: 'r', idempotencyKey: 'k' }));
    expect(parsed).toEqual({
      ok: false,
      status: 400,
      failure: {
        form: 'credit',
        message: null,
        fieldErrors: { amount: message },
        values: { amount, reason: 'r', idempotencyKey: 'k' },
      },
    });
  });

  test('a reason is required and bounded', () => {
    const missing = parseCreditForm(formOf({ amount: '5', reason: '  ', idempotencyKey: 'k' }));
    expect(!missing.ok && missing.failure.fieldErrors).toEqual({ reason: 'A reason is required' });
    const long = parseCreditForm(formOf({ amount: '5', reason: 'x'.repeat(501), idempotencyKey: 'k' }));
    expect(!long.ok && long.failure.fieldErrors.reason).toMatch(/at most 500/);
  });

  test('a missing idempotency key means a stale form: reload rather than risk a double credit', () => {
    const parsed = parseCreditForm(formOf({ amount: '5', reason: 'r' }));
    expect(!parsed.ok && parsed.failure.message).toBe(
      'The form is out of date: reload the page and try again',
    );
  });
});

describe('plans', () => {
  const valid = {
    name: 'Nano',
    providerPlanId: 'g6-nanode-1',
    regions: 'us-east, eu-west  ap-south',
    baseMonthlyPrice: '5',
    markup: '0',
    backupUpcharge: '2.00',
    active: 'on',
  };

  test('parses regions and money; markup and backups may be zero', () => {
    expect(parsePlanForm(formOf(valid))).toEqual({
      ok: true,
      value: {
        name: 'Nano',
        providerPlanId: 'g6-nanode-1',
        regions: ['us-east', 'eu-west', 'ap-south'],
        baseMonthlyPrice: '5',
        markup: '0',
        backupUpcharge: '2.00',
        active: true,
      },
    });
    const { active: _active, ...inactive } = valid;
    expect(parsePlanForm(formOf(inactive))).toMatchObject({ ok: true, value: { active: false } });
  });

  test('every bad field gets its own message', () => {
    const parsed = parsePlanForm(
      formOf({
        ...valid,
        name: '',
        providerPlanId: 'G6 Nanode',
        regions: 'us-east us-east',
        baseMonthlyPrice: '0',
      }),
      'create',
    );
    expect(!parsed.ok && parsed.failure).toMatchObject({
      form: 'create',
      fieldErrors: {
        name: 'A name is required',
        providerPlanId: expect.stringContaining('provider type id'),
        regions: 'A region is listed twice',
        baseMonthlyPrice: 'Base monthly price must not be zero',
      },
    });
    expect(splitRegions(' a,,b  c ')).toEqual(['a', 'b', 'c']);
  });

  test('an edit sends only what changed; 5 and 5.000000 are the same price', () => {
    const before = {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.000000',
      markup: '1.000000',
      backupUpcharge: '2.000000',
      active: true,
    };
    const after = { ...before, baseMonthlyPrice: '5', markup: '1.5', regions: ['us-east', 'eu-west'] };
    expect(planChanges(before, after)).toEqual({ markup: '1.5', regions: ['us-east', 'eu-west'] });
    expect(planChanges(before, { ...before })).toEqual({});
  });
});

describe('money helpers (never floats)', () => {
  test('typedMicros and sameMoney', () => {
    expect(typedMicros('0.1')).toBe(100_000n);
    expect(typedMicros('-0.000001')).toBe(-1n);
    expect(typedMicros('90071992547409.930001')).toBe(90_071_992_547_409_930_001n);
    expect(typedMicros('abc')).toBeNull();
    expect(sameMoney('0.1', '0.100000')).toBe(true);
    expect(sameMoney('0.1', '0.1000001')).toBe(false);
  });
  test('signed amounts only where allowed', () => {
    expect(moneyProblem('-1.5', { field: 'Adjustment', signed: true })).toBeNull();
    expect(moneyProblem('-1.5', { field: 'Amount' })).not.toBeNull();
  });
});

describe('times from forms', () => {
  test('the browser-filled ISO field wins; a bare wall time without script is read as UTC', () => {
    expect(
      instantField(formOf({ from: '2026-11-30T05:00', fromIso: '2026-11-30T04:00:00.000Z' }), 'from'),
    ).toBe('2026-11-30T04:00:00.000Z');
    expect(instantField(formOf({ from: '2026-11-30T05:00' }), 'from')).toBe('2026-11-30T05:00:00.000Z');
    expect(instantField(formOf({ from: '2026-11-30T05:00:00+01:00' }), 'from')).toBe(
      '2026-11-30T04:00:00.000Z',
    );
    expect(instantField(formOf({ from: 'yesterday' }), 'from')).toBe('invalid');
    expect(instantField(formOf({}), 'from')).toBeNull();
  });

  test('a reconciliation needs a start before its end; the organization is optional', () => {
    expect(
      parseReconciliationForm(
        formOf({
          fromIso: '2026-11-29T00:00:00.000Z',
          toIso: '2026-11-30T00:00:00.000Z',
          organizationId: '',
        }),
      ),
    ).toEqual({ ok: true, value: { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' } });
    const reversed = parseReconciliationForm(
      formOf({
        fromIso: '2026-11-30T00:00:00.000Z',
        toIso: '2026-11-29T00:00:00.000Z',
        organizationId: 'acme',
      }),
    );
    expect(!reversed.ok && reversed.failure.fieldErrors).toEqual({
      to: 'The end must be after the start',
      organizationId: expect.stringContaining('UUID'),
    });
    const empty = parseReconciliationForm(formOf({}));
    expect(!empty.ok && Object.keys(empty.failure.fieldErrors).sort()).toEqual(['from', 'to']);
  });
});

describe('resolving a reconciliation line', () => {
  test('a reason is required; the amount is optional and signed', () => {
    expect(parseResolveForm(formOf({ lineId: 'l1', reason: 'Duplicate refunded', amount: '' }))).toEqual({
      ok: true,
      value: { lineId: 'l1', reason: 'Duplicate refunded' },
    });
    expect(parseResolveForm(formOf({ lineId: 'l1', reason: 'r', amount: '-0.008219' }))).toMatchObject({
      ok: true,
      value: { amount: '-0.008219' },
    });
    const noReason = parseResolveForm(formOf({ lineId: 'l1', reason: '', amount: 'abc' }));
    expect(!noReason.ok && noReason.failure.fieldErrors).toEqual({
      reason: 'A reason is required',
      amount: expect.stringContaining('dollar amount'),
    });
  });
});

describe('provisioning actions', () => {
  test('terminate, abort and a first-hour refund require a reason; retry does not', () => {
    expect(parseProvisioningActionForm(formOf({ vpsId: VPS, action: 'retry' }))).toEqual({
      ok: true,
      value: { vpsId: VPS, action: 'retry' },
    });
    for (const action of ['abort', 'terminate', 'first-hour-refund']) {
      const parsed = parseProvisioningActionForm(formOf({ vpsId: VPS, action, reason: ' ' }));
      expect(!parsed.ok && parsed.failure.fieldErrors).toEqual({ reason: 'A reason is required' });
    }
    expect(
      parseProvisioningActionForm(formOf({ vpsId: VPS.toUpperCase(), action: 'terminate', reason: 'Lost' })),
    ).toEqual({ ok: true, value: { vpsId: VPS, action: 'terminate', reason: 'Lost' } });
    expect(
      parseProvisioningActionForm(
        formOf({ vpsId: VPS, action: 'first-hour-refund', reason: 'Charge committed' }),
      ),
    ).toEqual({ ok: true, value: { vpsId: VPS, action: 'first-hour-refund', reason: 'Charge committed' } });
  });

  test('an unknown action or server is refused before the API is called', () => {
    const parsed = parseProvisioningActionForm(formOf({ vpsId: VPS, action: 'delete' }));
    expect(!parsed.ok && parsed.failure.message).toBe('Unknown server or action');
    expect(parseProvisioningActionForm(formOf({ vpsId: '../x', action: 'retry' })).ok).toBe(false);
  });
});

describe('failureFromApi', () => {
  test("field messages go beside the form's fields, the rest beside its button", () => {
    const error = new ApiRequestError(400, 'validation_failed', 'x', {
      fields: [
        { field: 'amount', problems: ['amount must be a decimal string'] },
        { field: 'currency', problems: ['currency is unknown'] },
      ],
    });
    expect(failureFromApi(error, 'credit', ['amount', 'reason'], { amount: '1' })).toEqual({
      status: 400,
      failure: {
        form: 'credit',
        message: 'currency is unknown',
        fieldErrors: { amount: 'amount must be a decimal string' },
        values: { amount: '1' },
      },
    });
  });

  test('an error naming no field is the message; the API status is kept', () => {
    const conflict = new ApiRequestError(
      409,
      'idempotency_key_reused',
      'This Idempotency-Key was already used',
      {
        header: 'Idempotency-Key',
      },
    );
    expect(failureFromApi(conflict, 'credit', ['amount', 'reason'])).toMatchObject({
      status: 409,
      failure: { message: 'This Idempotency-Key was already used', fieldErrors: {} },
    });
    const unreachable = new ApiRequestError(503, 'api_unreachable', 'The API could not be reached');
    expect(failureFromApi(unreachable, 'provisioning', [])).toMatchObject({
      status: 503,
      failure: { message: 'The API could not be reached' },
    });
  });

  test('a bug is not dressed up as an API error', () => {
    expect(() => failureFromApi(new TypeError('oops'), 'credit', [])).toThrow('oops');
  });

  test('a form with a field for it shows the leftover message there (login: under the password)', () => {
    const refused = new ApiRequestError(401, 'invalid_credentials', 'Wrong email or password');
    expect(failureFromApi(refused, 'login', ['email', 'password'], { email: 'a@x' }, 'password')).toEqual({
      status: 401,
      failure: {
        form: 'login',
        message: null,
        fieldErrors: { password: 'Wrong email or password' },
        values: { email: 'a@x' },
      },
    });
  });

  test('a status outside 4xx/5xx is a bad gateway', () => {
    expect(failureFromApi(new ApiRequestError(302, 'moved', 'Moved'), 'credit', []).status).toBe(502);
  });

  test('failureOf and noticeOf read the page form prop', () => {
    expect(noticeOf({ form: 'power', notice: 'Reboot requested' })).toBe('Reboot requested');
    expect(noticeOf({ form: 'power', message: 'x', fieldErrors: {}, values: {} })).toBeNull();
    expect(failureOf({ form: 'power', notice: 'Reboot requested' })).toBeNull();
  });

  test('failureOf picks the failure out of the page form prop', () => {
    const failure = { form: 'resolve', message: null, fieldErrors: {}, values: {} };
    expect(failureOf(failure)).toBe(failure);
    expect(failureOf(failure, 'credit')).toBeNull();
    expect(failureOf({ form: 'credit', credited: {} })).toBeNull();
    expect(failureOf(null)).toBeNull();
  });
});

describe('parseTaxRatesForm', () => {
  test('reads one country and rate per line, upper-casing codes and skipping blank lines', () => {
    expect(parseTaxRatesForm(formOf({ rates: 'de 19\n\nFR 20.00%\r\nAT,20' }))).toEqual({
      ok: true,
      value: [
        { country: 'DE', rate: '19' },
        { country: 'FR', rate: '20.00' },
        { country: 'AT', rate: '20' },
      ],
    });
    expect(parseTaxRatesForm(formOf({ rates: '' }))).toEqual({ ok: true, value: [] });
  });

  test.each([
    ['Germany 19', 'two-letter country code'],
    ['DE nineteen', 'rate from 0 to 100'],
    ['DE 101', 'rate from 0 to 100'],
    ['DE 19 7', 'rate from 0 to 100'],
    ['DE 19\nde 7', 'each country once'],
  ])('refuses %p beside the field, keeping what was typed', (rates, problem) => {
    const parsed = parseTaxRatesForm(formOf({ rates }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.status).toBe(400);
    expect(parsed.failure.fieldErrors.rates).toContain(problem);
    expect(parsed.failure.values.rates).toBe(rates);
  });
});

let server: Server;
let api: ApiClient;
const calls: Array<{ method: string; url: string; body: unknown; headers: Record<string, unknown> }> = [];
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: body ? JSON.parse(body) : null,
        headers: req.headers,
      });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = new ApiClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    token: 't',
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  calls.length = 0;
  answer = { status: 200, body: {} };
});

describe('billing profile', () => {
  const ORG = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

  it('asks for missing fields without calling the API', async () => {
    const outcome = await billingProfileAction(
      api,
      ORG,
      formOf({ legalName: '', address: '', country: 'Germany' }),
    );
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'profile',
        fieldErrors: {
          legalName: expect.any(String),
          address: expect.any(String),
          country: expect.any(String),
        },
      },
    });
    expect(calls).toHaveLength(0);
  });

  it('saves the profile with PUT, an empty tax id as none, and says so', async () => {
    answer = { status: 200, body: { profile: {}, position: '5/1' } };
    const outcome = await billingProfileAction(
      api,
      ORG,
      formOf({ legalName: ' Acme ', address: 'Street 1\nCity', country: 'de', taxId: '' }),
    );
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'PUT',
        url: `/api/organizations/${ORG}/billing-profile`,
        body: { legalName: 'Acme', address: 'Street 1\nCity', country: 'DE', taxId: null },
      }),
    ]);
    expect(outcome).toEqual({
      kind: 'ok',
      form: 'profile',
      notice: 'Billing profile saved',
      position: '5/1',
    });
  });

  it("shows the API's refusal beside its field", async () => {
    answer = {
      status: 400,
      body: {
        error: 'invalid_tax_id',
        message: 'taxId must be 1 to 40 letters',
        details: { field: 'taxId' },
      },
    };
    const outcome = await billingProfileAction(
      api,
      ORG,
      formOf({ legalName: 'Acme', address: 'Street 1', country: 'DE', taxId: '<b>' }),
    );
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'profile',
        fieldErrors: { taxId: 'taxId must be 1 to 40 letters' },
        values: { taxId: '<b>' },
      },
    });
  });
});

describe('login', () => {
  it('asks for missing fields without calling the API', async () => {
    const outcome = await loginAction(api, formOf({ email: '', password: '' }), null);
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'login',
        message: null,
        fieldErrors: { email: 'Enter your email address', password: 'Enter your password' },
        values: { email: '' },
      },
    });
    expect(calls).toHaveLength(0);
  });

  it("shows the API's refusal under the password and never hands the password back", async () => {
    answer = { status: 401, body: { error: 'invalid_credentials', message: 'Wrong email or password' } };
    const outcome = await loginAction(
      api,
      formOf({ email: 'a@example.com', password: 'nope-nope-nope' }),
      null,
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 401,
      failure: {
        form: 'login',
        message: null,
        fieldErrors: { password: 'Wrong email or password' },
        values: { email: 'a@example.com' },
      },
    });
  });

  it('redirects to a same-site next with the new token', async () => {
    answer = { status: 200, body: { token: 'new-jwt', user: {} } };
    const outcome = await loginAction(
      api,
      formOf({ email: 'a@example.com', password: 'pw-pw-pw-pw' }),
      '/billing',
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/billing', token: 'new-jwt' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/auth/login',
      body: { email: 'a@example.com' },
    });
  });

  it('with 2FA on, goes to the second step keeping the mfaToken and the next page', async () => {
    answer = { status: 200, body: { mfaRequired: true, mfaToken: 'mfa-jwt' } };
    const outcome = await loginAction(
      api,
      formOf({ email: 'a@example.com', password: 'pw-pw-pw-pw' }),
      '/billing',
    );
    expect(outcome).toEqual({
      kind: 'redirect',
      location: '/login/two-factor?next=%2Fbilling',
      mfaToken: 'mfa-jwt',
    });
  });

  it('never redirects to another origin', () => {
    expect(safeNext('//evil.example')).toBe('/dashboard');
    expect(safeNext('https://evil.example')).toBe('/dashboard');
    expect(safeNext('/\\evil.example')).toBe('/dashboard');
    expect(safeNext('/vps?status=active')).toBe('/vps?status=active');
  });

  it('refuses a next that a browser would turn into another origin (tabs, newlines, encoded or not)', () => {
    // Browsers drop tabs and newlines from URLs: "/\t/evil.example" becomes "//evil.example".
    for (const next of [
      '/%09/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/%0a/evil.example',
      '/%5Cevil.example',
      ' //evil.example',
      'javascript:alert(1)',
      '/\\/evil.example',
    ]) {
      expect(safeNext(next)).toBe('/dashboard');
    }
    expect(safeNext('/vps/123#console')).toBe('/vps/123#console');
    expect(safeNext('/admin/events?type=WalletCredited%2CVpsRequested')).toBe(
      '/admin/events?type=WalletCredited%2CVpsRequested',
    );
  });
});

describe('register', () => {
  it('puts the API message next to the field it names', async () => {
    answer = {
      status: 409,
      body: {
        error: 'email_taken',
        message: 'This email address is already registered',
        details: { field: 'email' },
      },
    };
    const outcome = await registerAction(
      api,
      formOf({ name: 'Ada', email: 'ada@example.com', password: 'long-password-1' }),
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 409,
      failure: {
        form: 'register',
        message: null,
        fieldErrors: { email: 'This email address is already registered' },
        values: { name: 'Ada', email: 'ada@example.com' },
      },
    });
  });

  it('signs the new user in and goes to the dashboard', async () => {
    answer = { status: 201, body: { token: 'jwt', user: {}, organization: {}, position: '3/3' } };
    const outcome = await registerAction(
      api,
      formOf({ name: 'Ada', email: 'ada@example.com', password: 'long-password-1' }),
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/dashboard', token: 'jwt', position: '3/3' });
  });
});

describe('register, coming from an invitation link', () => {
  it('goes back to the invitation once registered, never off the portal', async () => {
    answer = { status: 201, body: { token: 'jwt', user: {}, organization: {}, position: '3/3' } };
    const fields = { name: 'Ada', email: 'ada@example.com', password: 'long-password-1' };
    expect(await registerAction(api, formOf(fields), '/invitations/o.t')).toMatchObject({
      location: '/invitations/o.t',
    });
    expect(await registerAction(api, formOf(fields), '//evil.example')).toMatchObject({
      location: '/dashboard',
    });
  });
});

describe('team: invitations and roles', () => {
  const ORG = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

  it('invites an address with a role and says they join once they accept', async () => {
    answer = { status: 201, body: { email: 'bo@example.com', position: '7/7' } };
    const outcome = await inviteAction(api, ORG, formOf({ email: ' Bo@example.com ', role: 'viewer' }));
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: `/api/organizations/${ORG}/invitations`,
      body: { email: 'Bo@example.com', role: 'viewer' },
    });
    expect(outcome).toEqual({
      kind: 'ok',
      form: 'invite',
      notice: 'Invitation mailed to bo@example.com: they join once they accept',
      position: '7/7',
    });
  });

  it('shows a pending invitation to the same address beside the email field', async () => {
    answer = {
      status: 409,
      body: {
        error: 'already_invited',
        message: 'This address has a pending invitation',
        details: { field: 'email' },
      },
    };
    const outcome = await inviteAction(api, ORG, formOf({ email: 'bo@example.com', role: 'viewer' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 409,
      failure: { form: 'invite', fieldErrors: { email: 'This address has a pending invitation' } },
    });
  });

  it('creates a role from the ticked permissions, and asks for one without calling the API', async () => {
    const none = await createRoleAction(api, ORG, formOf({ name: 'Clerk' }));
    expect(none).toMatchObject({
      kind: 'fail',
      failure: { fieldErrors: { permissions: 'Tick at least one permission' } },
    });
    expect(calls).toHaveLength(0);
    answer = { status: 201, body: { role: {}, position: '8/8' } };
    const form = formOf({ name: ' Clerk ' });
    form.append('permissions', 'billing_view');
    form.append('permissions', 'billing_manage');
    const outcome = await createRoleAction(api, ORG, form);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: `/api/organizations/${ORG}/roles`,
      body: { name: 'Clerk', permissions: ['billing_view', 'billing_manage'] },
    });
    expect(outcome).toMatchObject({ kind: 'ok', form: 'createRole', notice: 'Role Clerk created' });
  });

  it('accepting joins and makes the organization the active one', async () => {
    answer = { status: 200, body: { organizationId: ORG, activeOrganizationId: ORG, position: '9/9' } };
    const outcome = await acceptInvitationAction(api, `${ORG}.token`);
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', `/api/invitations/${ORG}.token/accept`],
      ['POST', '/api/me/active-organization'],
    ]);
    expect(outcome).toEqual({ kind: 'redirect', location: '/organizations', position: '9/9' });
  });

  it('an invitation that is gone says so on the page', async () => {
    answer = { status: 410, body: { error: 'invitation_revoked', message: 'This invitation was withdrawn' } };
    expect(await acceptInvitationAction(api, 'x')).toMatchObject({
      kind: 'fail',
      status: 410,
      failure: { form: 'acceptInvitation', message: 'This invitation was withdrawn' },
    });
  });
});

describe('create a server', () => {
  const wizard = {
    label: 'web-1',
    region: 'us-east',
    planId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e',
    image: 'linode/debian12',
    rootPassword: 'Correct-Horse-9',
    idempotencyKey: 'wizard-key-1',
  };
  /** The wizard as posted: one sshKeyIds field per ticked key. */
  const wizardForm = (fields: Record<string, string> = {}, keyIds = ['k1', 'k2']) => {
    const form = formOf({ ...wizard, ...fields });
    for (const id of keyIds) form.append('sshKeyIds', id);
    return form;
  };

  it('sends the key the wizard was rendered with, so a second submit is the same server', async () => {
    answer = { status: 202, body: { id: 'vps-1', status: 'provisioning', position: '9/9' } };
    const first = await createServerAction(api, 'org-1', wizardForm());
    const second = await createServerAction(api, 'org-1', wizardForm());
    expect(first).toEqual({ kind: 'redirect', location: '/vps/vps-1', position: '9/9' });
    expect(second).toEqual(first);
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['wizard-key-1', 'wizard-key-1']);
    expect(calls[0].body).toEqual({
      label: 'web-1',
      planId: wizard.planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-9',
      sshKeyIds: ['k1', 'k2'],
      backups: false,
    });
  });

  it('refuses a form without its idempotency key', async () => {
    const outcome = await createServerAction(api, 'org-1', wizardForm({ idempotencyKey: '' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { form: 'create', message: expect.any(String) },
    });
    expect(calls).toHaveLength(0);
  });

  it('shows insufficient funds on the form and keeps what was typed (not the password)', async () => {
    answer = {
      status: 402,
      body: { error: 'insufficient_funds', message: 'The wallet holds $1.00; $2.00 is needed' },
    };
    const outcome = await createServerAction(api, 'org-1', wizardForm());
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 402,
      failure: { message: 'The wallet holds $1.00; $2.00 is needed', fieldErrors: {} },
    });
    if (outcome.kind !== 'fail') throw new Error('expected a failure');
    expect(outcome.failure.values).not.toHaveProperty('rootPassword');
    expect(outcome.failure.values.label).toBe('web-1');
  });
});

describe('add funds', () => {
  const topUp = { amount: '$20', provider: 'paypal', idempotencyKey: 'top-up-key-1' };

  it('starts the payment with the rendered key and sends the browser to the provider, twice the same', async () => {
    answer = {
      status: 201,
      body: {
        paymentId: 'p-1',
        provider: 'paypal',
        status: 'initiated',
        redirectUrl: 'https://pay.example/ok?t=1',
      },
    };
    const first = await addFundsAction(api, 'org-1', formOf(topUp));
    const second = await addFundsAction(api, 'org-1', formOf(topUp));
    expect(first).toEqual({ kind: 'redirect', location: 'https://pay.example/ok?t=1' });
    expect(second).toEqual(first);
    expect(calls.map((c) => [c.method, c.url, c.headers['idempotency-key']])).toEqual([
      ['POST', '/api/organizations/org-1/payments', 'top-up-key-1'],
      ['POST', '/api/organizations/org-1/payments', 'top-up-key-1'],
    ]);
    expect(calls[0].body).toEqual({ provider: 'paypal', amount: '20' });
  });

  it('refuses amounts with cents fractions, zero, and unknown providers before asking the API', async () => {
    const outcome = await addFundsAction(
      api,
      'org-1',
      formOf({ ...topUp, amount: '20.005', provider: 'bitcoin' }),
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'addFunds',
        message: null,
        fieldErrors: {
          amount: 'Amount must be a dollar amount with at most 2 decimals, such as 20.00',
          provider: 'Choose PayPal or card',
        },
        values: { amount: '20.005', provider: 'bitcoin', idempotencyKey: 'top-up-key-1' },
      },
    });
    expect(centsProblem('0.00', 'Amount')).toBe('Amount must not be zero');
    expect(centsProblem('', 'Amount')).toBe('Amount is required');
    expect(centsProblem('1,000.5', 'Amount')).toBeNull();
    const stale = await addFundsAction(api, 'org-1', formOf({ ...topUp, idempotencyKey: '' }));
    expect(stale).toMatchObject({ kind: 'fail', status: 400, failure: { message: expect.any(String) } });
    expect(calls).toHaveLength(0);
  });

  it("shows the API's limit refusal beside the amount", async () => {
    answer = {
      status: 400,
      body: {
        error: 'amount_above_maximum',
        message: 'At most $1000.00 per payment',
        details: { field: 'amount' },
      },
    };
    const outcome = await addFundsAction(api, 'org-1', formOf({ ...topUp, amount: '5000' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { form: 'addFunds', message: null, fieldErrors: { amount: 'At most $1000.00 per payment' } },
    });
  });
});

describe('refunds (staff)', () => {
  it('reads amount, reason and the rendered key', () => {
    expect(
      parseRefundForm(formOf({ amount: ' 5 ', reason: ' Asked within 14 days ', idempotencyKey: 'r-1' })),
    ).toEqual({
      ok: true,
      value: { amount: '5', reason: 'Asked within 14 days', idempotencyKey: 'r-1' },
    });
  });

  it('requires a reason and a cents amount; a missing key says to reload', () => {
    expect(parseRefundForm(formOf({ amount: '5.001', reason: '', idempotencyKey: 'r-1' }))).toEqual({
      ok: false,
      status: 400,
      failure: {
        form: 'refund',
        message: null,
        fieldErrors: {
          amount: 'Amount must be a dollar amount with at most 2 decimals, such as 20.00',
          reason: 'A reason is required',
        },
        values: { amount: '5.001', reason: '', idempotencyKey: 'r-1' },
      },
    });
    expect(parseRefundForm(formOf({ amount: '5', reason: 'r', idempotencyKey: '' }))).toMatchObject({
      ok: false,
      failure: { message: 'The form is out of date: reload the page and try again' },
    });
  });
});

describe('server actions and organizations', () => {
  it('refuses an unknown power action without calling the API', async () => {
    const outcome = await powerAction(api, 'o', 'v', formOf({ action: 'explode' }));
    expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
    expect(calls).toHaveLength(0);
  });

  it("reports the API's conflict for a power action as the form's message", async () => {
    answer = { status: 409, body: { error: 'invalid_state', message: 'The server is not running' } };
    const outcome = await powerAction(api, 'o', 'v', formOf({ action: 'reboot' }));
    expect(outcome).toEqual({
      kind: 'fail',
      status: 409,
      failure: {
        form: 'power',
        message: 'The server is not running',
        fieldErrors: {},
        values: { action: 'reboot' },
      },
    });
  });

  it('a power action that the API accepted is a notice with its position', async () => {
    answer = { status: 202, body: { position: '5/5' } };
    const outcome = await powerAction(api, 'o', 'v', formOf({ action: 'reboot' }));
    expect(outcome).toEqual({ kind: 'ok', form: 'power', notice: 'Reboot requested', position: '5/5' });
  });

  it('switches the active organization and goes back where the user was', async () => {
    answer = {
      status: 200,
      body: { activeOrganizationId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e', position: '4/4' },
    };
    const outcome = await switchOrganizationAction(
      api,
      formOf({ organizationId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e' }),
      '/vps',
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/vps', position: '4/4' });
    expect(calls[0]).toMatchObject({ url: '/api/me/active-organization' });
  });
});

describe('server operations and SSH keys', () => {
  const KEY = '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e';
  const accepted = (operation: Record<string, unknown>) => ({
    status: 202,
    body: {
      operation: { id: 'op-1', kind: 'rename', ...operation },
      workflowId: 'vps-rename-op-1',
      position: '7/7',
    },
  });

  it('renames: PATCH with the label; the notice says it is under way', async () => {
    answer = accepted({ label: 'web-2' });
    const outcome = await renameServerAction(api, 'o', VPS, formOf({ label: ' web-2 ' }));
    expect(calls[0]).toMatchObject({
      method: 'PATCH',
      url: `/api/organizations/o/vps/${VPS}`,
      body: { label: 'web-2' },
    });
    expect(outcome).toEqual({ kind: 'ok', form: 'rename', notice: 'Renaming to web-2…', position: '7/7' });
  });

  it('shows a refused rename beside the name, another operation in progress as well', async () => {
    answer = {
      status: 409,
      body: { error: 'operation_in_progress', message: 'A reverse dns is in progress on this server' },
    };
    const outcome = await renameServerAction(api, 'o', VPS, formOf({ label: 'web-2' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 409,
      failure: { form: 'rename', fieldErrors: { label: 'A reverse dns is in progress on this server' } },
    });
    expect(await renameServerAction(api, 'o', VPS, formOf({ label: '' }))).toMatchObject({
      kind: 'fail',
      failure: { fieldErrors: { label: expect.any(String) } },
    });
  });

  it('sets the reverse DNS of the address; an empty name asks for the default back', async () => {
    answer = accepted({ kind: 'reverse_dns', ipv4: '203.0.113.7', hostname: 'mail.example.com' });
    const set = await reverseDnsAction(
      api,
      'o',
      VPS,
      formOf({ ipv4: '203.0.113.7', hostname: 'mail.example.com' }),
    );
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      url: `/api/organizations/o/vps/${VPS}/reverse-dns`,
      body: { ipv4: '203.0.113.7', hostname: 'mail.example.com' },
    });
    expect(set).toMatchObject({ kind: 'ok', notice: 'Setting the reverse DNS to mail.example.com…' });
    answer = accepted({ kind: 'reverse_dns', ipv4: '203.0.113.7', hostname: null });
    const reset = await reverseDnsAction(api, 'o', VPS, formOf({ ipv4: '203.0.113.7', hostname: '' }));
    expect(calls[1].body).toEqual({ ipv4: '203.0.113.7', hostname: null });
    expect(reset).toMatchObject({ kind: 'ok', notice: 'Restoring the default reverse DNS…' });
  });

  // ---- rebuild, resize, backups (issue 15) ----
  it('rebuilds with the ticked keys and no password (the API generates one); neither is refused here', async () => {
    answer = accepted({ kind: 'rebuild', image: 'linode/debian11' });
    const form = formOf({ image: 'linode/debian11', rootPassword: '' });
    form.append('sshKeyIds', KEY);
    const outcome = await rebuildServerAction(api, 'o', VPS, form);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: `/api/organizations/o/vps/${VPS}/rebuild`,
      body: { image: 'linode/debian11', sshKeyIds: [KEY] },
    });
    expect(calls[0].body).not.toHaveProperty('rootPassword');
    expect(outcome).toMatchObject({
      kind: 'ok',
      form: 'rebuild',
      notice: 'Rebuilding with linode/debian11…',
    });
    expect(await rebuildServerAction(api, 'o', VPS, formOf({ image: 'linode/debian11' }))).toMatchObject({
      kind: 'fail',
      failure: { form: 'rebuild', fieldErrors: { rootPassword: expect.any(String) } },
    });
    expect(calls).toHaveLength(1);
  });

  it('resizes to the chosen plan and says when the price applies; a refusal shows beside the plan', async () => {
    answer = accepted({ kind: 'resize', planId: KEY, hourlyPrice: '0.015068' });
    const outcome = await resizeServerAction(api, 'o', VPS, formOf({ planId: KEY }));
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: `/api/organizations/o/vps/${VPS}/resize`,
      body: { planId: KEY },
    });
    expect(outcome).toMatchObject({
      kind: 'ok',
      notice: 'Resizing; 0.015068/h from the next billing period…',
    });
    answer = {
      status: 400,
      body: { error: 'disk_too_small', message: 'The plan’s disk is smaller', details: { field: 'planId' } },
    };
    expect(await resizeServerAction(api, 'o', VPS, formOf({ planId: KEY }))).toMatchObject({
      kind: 'fail',
      failure: { form: 'resize', fieldErrors: { planId: 'The plan’s disk is smaller' } },
    });
  });

  it('enables backups with POST and disables them with DELETE', async () => {
    answer = accepted({ kind: 'backups', backups: true });
    expect(await backupsAction(api, 'o', VPS, formOf({ backups: 'enable' }))).toMatchObject({
      kind: 'ok',
      notice: 'Enabling backups…',
    });
    expect(await backupsAction(api, 'o', VPS, formOf({ backups: 'disable' }))).toMatchObject({
      kind: 'ok',
      notice: 'Disabling backups…',
    });
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', `/api/organizations/o/vps/${VPS}/backups`],
      ['DELETE', `/api/organizations/o/vps/${VPS}/backups`],
    ]);
    expect(await backupsAction(api, 'o', VPS, formOf({ backups: 'maybe' }))).toMatchObject({ kind: 'fail' });
  });

  it('shows an invalid host name beside its field', async () => {
    answer = {
      status: 400,
      body: {
        error: 'invalid_hostname',
        message: 'hostname must be a fully qualified host name',
        details: { field: 'hostname' },
      },
    };
    const outcome = await reverseDnsAction(
      api,
      'o',
      VPS,
      formOf({ ipv4: '203.0.113.7', hostname: 'localhost' }),
    );
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'reverseDns',
        fieldErrors: { hostname: expect.stringMatching(/host name/) },
        values: { hostname: 'localhost' },
      },
    });
  });

  it('adds a key: name and public key required; the notice shows its fingerprint', async () => {
    expect(await addSshKeyAction(api, 'o', formOf({ name: '', publicKey: '' }))).toMatchObject({
      kind: 'fail',
      failure: { form: 'addKey', fieldErrors: { name: expect.any(String), publicKey: expect.any(String) } },
    });
    expect(calls).toHaveLength(0);
    answer = {
      status: 201,
      body: { key: { id: KEY, name: 'Laptop', fingerprint: 'SHA256:abc' }, position: '8/8' },
    };
    const outcome = await addSshKeyAction(
      api,
      'o',
      formOf({ name: 'Laptop', publicKey: 'ssh-ed25519 AAAA x' }),
    );
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/organizations/o/ssh-keys',
      body: { name: 'Laptop', publicKey: 'ssh-ed25519 AAAA x' },
    });
    expect(outcome).toEqual({
      kind: 'ok',
      form: 'addKey',
      notice: 'Key Laptop added (SHA256:abc)',
      position: '8/8',
    });
  });

  it('shows a duplicate or invalid key beside the public key', async () => {
    answer = {
      status: 409,
      body: { error: 'ssh_key_duplicate', message: 'This key is already added as "Laptop"' },
    };
    const outcome = await addSshKeyAction(api, 'o', formOf({ name: 'Again', publicKey: 'ssh-ed25519 AAAA' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 409,
      failure: {
        fieldErrors: { publicKey: 'This key is already added as "Laptop"' },
        values: { name: 'Again' },
      },
    });
  });

  it('deletes a key by id, then shows the list again (read with the position)', async () => {
    answer = { status: 200, body: { id: KEY, position: '9/9' } };
    expect(await deleteSshKeyAction(api, 'o', formOf({ keyId: KEY }))).toEqual({
      kind: 'redirect',
      location: '/organizations/ssh-keys',
      position: '9/9',
    });
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: `/api/organizations/o/ssh-keys/${KEY}` });
    expect(await deleteSshKeyAction(api, 'o', formOf({ keyId: 'nope' }))).toMatchObject({ kind: 'fail' });
  });
});

describe("the sign-in's second step", () => {
  it('sends the code with the mfaToken; success stores the session and forgets the mfaToken', async () => {
    answer = { status: 200, body: { token: 'session-jwt', user: {} } };
    const outcome = await twoFactorLoginAction(api, formOf({ code: '123 456' }), 'mfa-jwt', '/vps', 'code');
    expect(outcome).toEqual({ kind: 'redirect', location: '/vps', token: 'session-jwt', mfaToken: null });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/auth/login/mfa',
      body: { mfaToken: 'mfa-jwt', code: '123456' },
    });
  });

  it('sends a recovery code as typed (the API normalizes it)', async () => {
    answer = { status: 200, body: { token: 'session-jwt', user: {} } };
    await twoFactorLoginAction(api, formOf({ recoveryCode: 'ABCDE-FGHJK' }), 'mfa-jwt', null, 'recovery');
    expect(calls[0].body).toEqual({ mfaToken: 'mfa-jwt', recoveryCode: 'ABCDE-FGHJK' });
  });

  it('shows a refused code beside the field', async () => {
    answer = {
      status: 400,
      body: {
        error: 'two_factor_code_reused',
        message: 'This code was already used',
        details: { field: 'code' },
      },
    };
    const outcome = await twoFactorLoginAction(api, formOf({ code: '123456' }), 'mfa-jwt', null, 'code');
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'code',
        message: null,
        fieldErrors: { code: 'This code was already used' },
        values: {},
      },
    });
  });

  it('says to sign in again when the sign-in can no longer finish, or was never started', async () => {
    answer = { status: 401, body: { error: 'mfa_token_expired', message: 'This sign-in has expired' } };
    const expired = await twoFactorLoginAction(api, formOf({ code: '123456' }), 'mfa-jwt', null, 'code');
    expect(expired).toMatchObject({
      kind: 'fail',
      status: 401,
      failure: { message: 'This sign-in has expired' },
    });
    calls.length = 0;
    const none = await twoFactorLoginAction(api, formOf({ code: '123456' }), null, null, 'code');
    expect(none).toMatchObject({
      kind: 'fail',
      failure: { message: expect.stringMatching(/sign in again/) },
    });
    expect(calls).toHaveLength(0);
  });
});

describe('two-factor settings', () => {
  it('enabling checks the code is 6 digits before calling the API and keeps the secret being set up', async () => {
    const outcome = await enableTwoFactorAction(api, formOf({ code: '12ab', secret: 'JBSWY3DP' }));
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'enable',
        message: null,
        fieldErrors: { code: 'Enter the 6-digit code from your app' },
        values: { secret: 'JBSWY3DP' },
      },
    });
    expect(calls).toHaveLength(0);
    answer = { status: 200, body: { recoveryCodes: ['abcde-fghjk'], position: '1/1' } };
    expect(await enableTwoFactorAction(api, formOf({ code: '123456', secret: 'JBSWY3DP' }))).toEqual({
      kind: 'enabled',
      recoveryCodes: ['abcde-fghjk'],
      position: '1/1',
    });
  });

  it('disabling needs the password and a code; the API refusal lands beside its field', async () => {
    expect(await disableTwoFactorAction(api, formOf({ password: '', code: '' }))).toMatchObject({
      kind: 'fail',
      failure: {
        fieldErrors: { password: 'Enter your password', code: 'Enter the 6-digit code from your app' },
      },
    });
    answer = {
      status: 400,
      body: {
        error: 'invalid_password',
        message: 'The password is not correct',
        details: { field: 'password' },
      },
    };
    expect(await disableTwoFactorAction(api, formOf({ password: 'pw', code: '123456' }))).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { form: 'disable', fieldErrors: { password: 'The password is not correct' }, values: {} },
    });
  });
});

describe('account actions', () => {
  it('asks for the new password twice and checks it before calling the API', async () => {
    const short = await changePasswordAction(
      api,
      formOf({ currentPassword: 'old-password-1', newPassword: 'short', confirmPassword: 'short' }),
    );
    expect(short).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { fieldErrors: { newPassword: expect.any(String) } },
    });
    const differ = await resetPasswordAction(
      api,
      formOf({ token: 't', password: 'new-password-123', confirmPassword: 'new-password-124' }),
    );
    expect(differ).toMatchObject({
      kind: 'fail',
      failure: { fieldErrors: { confirmPassword: 'The two passwords differ' } },
    });
    expect(calls).toHaveLength(0);
  });

  it('shows a wrong current password under its field, never handing passwords back', async () => {
    answer = {
      status: 400,
      body: {
        error: 'invalid_current_password',
        message: 'The current password is not correct',
        details: { field: 'currentPassword' },
      },
    };
    const outcome = await changePasswordAction(
      api,
      formOf({
        currentPassword: 'wrong-password',
        newPassword: 'new-password-123',
        confirmPassword: 'new-password-123',
      }),
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      failure: {
        form: 'changePassword',
        message: null,
        fieldErrors: { currentPassword: 'The current password is not correct' },
        values: {},
      },
    });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/me/password',
      body: { currentPassword: 'wrong-password', newPassword: 'new-password-123' },
    });
  });

  it('a reset goes to the login page; a used link says so', async () => {
    answer = { status: 200, body: { position: '1/1' } };
    const form = formOf({ token: 'abc', password: 'new-password-123', confirmPassword: 'new-password-123' });
    expect(await resetPasswordAction(api, form)).toEqual({ kind: 'redirect', location: '/login?reset=1' });
    answer = {
      status: 400,
      body: {
        error: 'invalid_token',
        message: 'This reset link is invalid or was already used',
        details: { field: 'token' },
      },
    };
    expect(await resetPasswordAction(api, form)).toMatchObject({
      kind: 'fail',
      failure: { message: 'This reset link is invalid or was already used' },
    });
  });

  it('the forgot-password notice does not tell whether the address has an account', async () => {
    answer = { status: 202, body: {} };
    const outcome = await forgotPasswordAction(api, formOf({ email: 'ada@example.com' }));
    expect(outcome).toMatchObject({
      kind: 'ok',
      form: 'forgotPassword',
      notice: expect.stringContaining('If ada@example.com'),
    });
    expect(calls[0]).toMatchObject({ url: '/api/auth/password-reset', body: { email: 'ada@example.com' } });
  });

  it('verifies with the token and signs sessions out', async () => {
    answer = { status: 200, body: { position: '2/2', revokedSessionIds: ['s1', 's2'] } };
    expect(await verifyEmailAction(api, formOf({ token: 'tok' }))).toMatchObject({
      kind: 'ok',
      form: 'verifyEmail',
    });
    expect(await revokeOtherSessionsAction(api)).toMatchObject({
      kind: 'ok',
      notice: 'Signed out everywhere else (2 sessions)',
    });
    expect(await revokeSessionAction(api, formOf({ sessionId: 'not-a-uuid' }))).toMatchObject({
      kind: 'fail',
    });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/auth/email-verification',
      'DELETE /api/me/sessions',
    ]);
  });
});

describe('mail preferences', () => {
  const formWith = (offered: string[], ticked: string[]) => {
    const form = new FormData();
    for (const mail of offered) form.append('offered', mail);
    for (const mail of ticked) form.append('mail', mail);
    return form;
  };

  it('turns off every offered mail left unticked, with PUT, and says so', async () => {
    answer = { status: 200, body: { optional: [], alwaysSent: [], position: '9/2' } };
    const outcome = await mailPreferencesAction(
      api,
      formWith(['low_balance', 'server_active', 'member_added'], ['server_active']),
    );
    expect(calls).toEqual([
      expect.objectContaining({
        method: 'PUT',
        url: '/api/me/mail-preferences',
        body: { optedOut: ['low_balance', 'member_added'] },
      }),
    ]);
    expect(outcome).toEqual({
      kind: 'ok',
      form: 'preferences',
      notice: 'Mail preferences saved',
      position: '9/2',
    });
  });

  it('turns every mail on when all are ticked', async () => {
    answer = { status: 200, body: { optional: [], alwaysSent: [], position: null } };
    await mailPreferencesAction(api, formWith(['low_balance'], ['low_balance']));
    expect(calls[0].body).toEqual({ optedOut: [] });
  });

  it("shows the API's refusal", async () => {
    answer = {
      status: 400,
      body: {
        error: 'invalid_mail_preferences',
        message: 'Only optional mails can be turned off',
        details: {},
      },
    };
    const outcome = await mailPreferencesAction(api, formWith(['password_reset'], []));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { form: 'preferences', message: 'Only optional mails can be turned off' },
    });
  });
});

describe('API keys', () => {
  const NOW = new Date('2026-12-06T12:00:00.000Z');
  const ORG = '6f1d8c8e-8d1e-4d6a-9c55-0a2b9d6c3e11';
  const keyForm = (fields: Record<string, string>, permissions: string[]) => {
    const form = formOf(fields);
    for (const permission of permissions) form.append('permissions', permission);
    return form;
  };

  it('reads the new-key form: ticked permissions, an expiry in days from now, ranges split on spaces, commas, lines', () => {
    const parsed = parseApiKeyForm(
      keyForm(
        {
          name: ' CI deploys ',
          organizationId: ORG,
          expiresInDays: '30',
          allowedIps: '203.0.113.0/24,\n 10.0.0.1  ::1',
        },
        ['vps_view', 'vps_create'],
      ),
      NOW,
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        name: 'CI deploys',
        organizationId: ORG,
        permissions: ['vps_view', 'vps_create'],
        expiresAt: '2027-01-05T12:00:00.000Z',
        allowedIps: ['203.0.113.0/24', '10.0.0.1', '::1'],
      },
    });
    const forever = parseApiKeyForm(
      keyForm({ name: 'k', organizationId: ORG, expiresInDays: '' }, ['vps_view']),
      NOW,
    );
    expect(forever).toMatchObject({ ok: true, value: { expiresAt: null, allowedIps: [] } });
  });

  it('says what is missing beside each field, keeping what was typed', () => {
    const parsed = parseApiKeyForm(
      keyForm({ name: '', organizationId: 'acme', expiresInDays: '12' }, []),
      NOW,
    );
    expect(parsed).toMatchObject({
      ok: false,
      status: 400,
      failure: {
        form: 'createKey',
        fieldErrors: {
          name: expect.any(String),
          organizationId: expect.any(String),
          permissions: expect.any(String),
          expiresInDays: expect.any(String),
        },
        values: { organizationId: 'acme', expiresInDays: '12' },
      },
    });
    expect(parseApiKeyForm(keyForm({ name: 'k', organizationId: ORG }, ['root']), NOW)).toMatchObject({
      ok: false,
      failure: { fieldErrors: { permissions: expect.any(String) } },
    });
  });

  it("puts the API's refusals beside the form's fields (the expiry too)", () => {
    const notHeld = apiKeyFailureFromApi(
      new ApiRequestError(403, 'permission_not_held', 'A key cannot have permissions you do not hold', {
        field: 'permissions',
      }),
      {},
    );
    expect(notHeld).toMatchObject({
      status: 403,
      failure: { fieldErrors: { permissions: expect.any(String) } },
    });
    const expiry = apiKeyFailureFromApi(
      new ApiRequestError(400, 'invalid_expires_at', 'expiresAt must be in the future', {
        field: 'expiresAt',
      }),
      {},
    );
    expect(expiry.failure.fieldErrors).toEqual({ expiresInDays: 'expiresAt must be in the future' });
  });

  it('revokes a key with DELETE and says so; an id that is no uuid never reaches the API', async () => {
    answer = { status: 200, body: { position: '5/1' } };
    expect(await revokeApiKeyAction(api, formOf({ keyId: ORG }))).toEqual({
      kind: 'ok',
      form: 'keys',
      notice: 'API key revoked',
      position: '5/1',
    });
    expect(await revokeApiKeyAction(api, formOf({ keyId: 'nope' }))).toMatchObject({ kind: 'fail' });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([`DELETE /api/me/api-keys/${ORG}`]);
  });
});

describe('impersonation (staff)', () => {
  it('needs a reason', () => {
    expect(parseImpersonationForm(formOf({ reason: ' Ticket 4821 ' }))).toEqual({
      ok: true,
      value: { reason: 'Ticket 4821' },
    });
    expect(parseImpersonationForm(formOf({ reason: '  ' }))).toMatchObject({
      ok: false,
      failure: { form: 'impersonate', fieldErrors: { reason: 'A reason is required' } },
    });
  });
});
