/**
 * The portal's form actions as plain functions, against a local HTTP server standing in for the API: what they
 * send, and what the page answers (a 400 with the API's message next to the field, or a redirect).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';
import {
  createServerAction,
  loginAction,
  powerAction,
  registerAction,
  safeNext,
  switchOrganizationAction,
} from './form-actions';

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

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('login', () => {
  it('asks for missing fields without calling the API', async () => {
    const outcome = await loginAction(api, form({ email: '', password: '' }), null);
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      data: {
        values: { email: '' },
        errors: { email: 'Enter your email address', password: 'Enter your password' },
      },
    });
    expect(calls).toHaveLength(0);
  });

  it("shows the API's refusal under the password and never hands the password back", async () => {
    answer = { status: 401, body: { error: 'invalid_credentials', message: 'Wrong email or password' } };
    const outcome = await loginAction(
      api,
      form({ email: 'a@example.com', password: 'nope-nope-nope' }),
      null,
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      data: { values: { email: 'a@example.com' }, errors: { password: 'Wrong email or password' } },
    });
  });

  it('redirects to a same-site next with the new token', async () => {
    answer = { status: 200, body: { token: 'new-jwt', user: {} } };
    const outcome = await loginAction(
      api,
      form({ email: 'a@example.com', password: 'pw-pw-pw-pw' }),
      '/billing',
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/billing', token: 'new-jwt' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: '/api/auth/login',
      body: { email: 'a@example.com' },
    });
  });

  it('never redirects to another origin', () => {
    expect(safeNext('//evil.example')).toBe('/dashboard');
    expect(safeNext('https://evil.example')).toBe('/dashboard');
    expect(safeNext('/\\evil.example')).toBe('/dashboard');
    expect(safeNext('/vps?status=active')).toBe('/vps?status=active');
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
      form({ name: 'Ada', email: 'ada@example.com', password: 'long-password-1' }),
    );
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      data: {
        values: { name: 'Ada', email: 'ada@example.com' },
        errors: { email: 'This email address is already registered' },
      },
    });
  });

  it('signs the new user in and goes to the dashboard', async () => {
    answer = { status: 201, body: { token: 'jwt', user: {}, organization: {}, position: '3/3' } };
    const outcome = await registerAction(
      api,
      form({ name: 'Ada', email: 'ada@example.com', password: 'long-password-1' }),
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/dashboard', token: 'jwt', position: '3/3' });
  });
});

describe('create a server', () => {
  const wizard = {
    label: 'web-1',
    region: 'us-east',
    planId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e',
    image: 'linode/debian12',
    rootPassword: 'Correct-Horse-9',
    sshKeyIds: 'k1, k2',
    idempotencyKey: 'wizard-key-1',
  };

  it('sends the key the wizard was rendered with, so a second submit is the same server', async () => {
    answer = { status: 202, body: { id: 'vps-1', status: 'provisioning', position: '9/9' } };
    const first = await createServerAction(api, 'org-1', form(wizard));
    const second = await createServerAction(api, 'org-1', form(wizard));
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
    const outcome = await createServerAction(api, 'org-1', form({ ...wizard, idempotencyKey: '' }));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      data: { errors: { form: expect.any(String) } },
    });
    expect(calls).toHaveLength(0);
  });

  it('shows insufficient funds on the form and keeps what was typed (not the password)', async () => {
    answer = {
      status: 402,
      body: { error: 'insufficient_funds', message: 'The wallet holds $1.00; $2.00 is needed' },
    };
    const outcome = await createServerAction(api, 'org-1', form(wizard));
    expect(outcome).toMatchObject({
      kind: 'fail',
      status: 400,
      data: { errors: { form: 'The wallet holds $1.00; $2.00 is needed' } },
    });
    if (outcome.kind !== 'fail') throw new Error('expected a failure');
    expect(outcome.data.values).not.toHaveProperty('rootPassword');
    expect(outcome.data.values.label).toBe('web-1');
  });
});

describe('server actions and organizations', () => {
  it('refuses an unknown power action without calling the API', async () => {
    const outcome = await powerAction(api, 'o', 'v', form({ action: 'explode' }));
    expect(outcome).toMatchObject({ kind: 'fail', status: 400 });
    expect(calls).toHaveLength(0);
  });

  it("reports the API's conflict for a power action as the form's message", async () => {
    answer = { status: 409, body: { error: 'invalid_state', message: 'The server is not running' } };
    const outcome = await powerAction(api, 'o', 'v', form({ action: 'reboot' }));
    expect(outcome).toEqual({
      kind: 'fail',
      status: 400,
      data: { values: { action: 'reboot' }, errors: { form: 'The server is not running' } },
    });
  });

  it('switches the active organization and goes back where the user was', async () => {
    answer = {
      status: 200,
      body: { activeOrganizationId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e', position: '4/4' },
    };
    const outcome = await switchOrganizationAction(
      api,
      form({ organizationId: '7b0f1c9e-3f7a-4a53-9b1f-2f4f8f0c1d2e' }),
      '/vps',
    );
    expect(outcome).toEqual({ kind: 'redirect', location: '/vps', position: '4/4' });
    expect(calls[0]).toMatchObject({ url: '/api/me/active-organization' });
  });
});
