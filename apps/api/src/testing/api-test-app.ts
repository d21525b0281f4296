import type { NestExpressApplication } from '@nestjs/platform-express';
import type { EventStore } from '@stratus/eventstore';
import { createTestDatabase, totpCode, type TestDatabase } from '@stratus/infra/testing';
import { PROJECTIONS, ProjectionRunner, type ProjectionsOrm } from '@stratus/projections';
import { createApiApp, type CreateApiAppOptions } from '../app.factory';
import type { ApiConfig } from '../shared/config/api-config';
import { RATE_LIMIT_VARIABLES, type RateLimitSettings } from '../shared/config/rate-limit-settings';
import { EVENT_STORE } from '../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../shared/read-models/tokens';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';
export const TEST_ADMIN = { email: 'admin@stratus.test', password: 'admin-password-123' };
/**
 * Suites make many requests, register many users from this one address and act on servers in quick succession:
 * every rate limit is out of the way unless a suite sets its own (configOverrides.rateLimits); the limits have their
 * own tests.
 */
export const UNLIMITED_RATE_LIMITS: RateLimitSettings = Object.fromEntries(
  Object.keys(RATE_LIMIT_VARIABLES).map((policy) => [policy, { limit: 1_000_000, periodSeconds: 1 }]),
) as RateLimitSettings;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are asserted field by field
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (malformed JSON tests). */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  url: string;
  app: NestExpressApplication;
  config: ApiConfig;
  db: TestDatabase;
  eventStore: EventStore;
  orm: ProjectionsOrm;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<HttpResult<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Total events in the store (to prove a rejected request appended nothing). */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The API on an ephemeral port over a fresh database, with every projection runner running in this
 * process so the read models fill as in production.
 */
export async function startTestApi(
  options: CreateApiAppOptions & { configOverrides?: Partial<ApiConfig> } = {},
): Promise<TestApi> {
  const db = await createTestDatabase('stratus_api');
  const config: ApiConfig = {
    nodeEnv: 'test',
    databaseUrl: db.url,
    eventStore: { kind: 'postgres' },
    jwt: { secret: TEST_JWT_SECRET, issuer: 'stratus', audience: 'stratus-api', ttlSeconds: 3600 },
    http: { port: 0, host: '127.0.0.1', trustProxy: false },
    admin: { ...TEST_ADMIN },
    // Suites create servers for users who never open their mail; the verification gate has its own tests.
    requireVerifiedEmail: false,
    ...options.configOverrides,
    rateLimits: { ...UNLIMITED_RATE_LIMITS, ...options.configOverrides?.rateLimits },
  };
  const app = await createApiApp(config, { logger: ['error'], ...options });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const eventStore = app.get<EventStore>(EVENT_STORE);
  const orm = app.get<ProjectionsOrm>(PROJECTIONS_ORM);
  const runners = PROJECTIONS.map(
    (projection) => new ProjectionRunner({ orm, eventStore, projection, batchSize: 200 }),
  );
  for (const runner of runners) runner.start();

  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text.length ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  return {
    url,
    app,
    config,
    db,
    eventStore,
    orm,
    request,
    async eventCount() {
      // Every committed event: countAfter only sees events below the cluster-wide xmin, which other suites'
      // open transactions hold back, so a count taken right after a write could miss it.
      const [row] = await orm.em
        .getConnection()
        .execute<{ n: number }[]>('select count(*)::int as n from eventstore.events');
      return row.n;
    },
    async close() {
      await Promise.all(runners.map((r) => r.stop()));
      await app.close();
      await db.drop();
    },
  };
}

/** A user's 2FA as a test keeps it: the secret and the recovery codes not yet spent. */
export interface TwoFactorKeys {
  secret: string;
  recoveryCodes: string[];
}

/** Sets 2FA up and turns it on through the real routes, with a code computed from the answered secret. */
export async function enableTwoFactor(api: TestApi, token: string): Promise<TwoFactorKeys> {
  const setup = await api.request('POST', '/api/me/2fa/setup', { token });
  if (setup.status !== 200) throw new Error(`2FA setup answered ${setup.status}: ${setup.text}`);
  const secret = setup.body.secret as string;
  const enabled = await api.request('POST', '/api/me/2fa/enable', {
    token,
    body: { code: totpCode(secret) },
  });
  if (enabled.status !== 200) throw new Error(`2FA enable answered ${enabled.status}: ${enabled.text}`);
  return { secret, recoveryCodes: [...(enabled.body.recoveryCodes as string[])] };
}

/** The seeded admin's 2FA, per database (a second API over the same database signs the same admin in). */
const adminKeys = new Map<string, TwoFactorKeys & { lastCodeAt: number }>();

/**
 * A session of the seeded admin (TEST_ADMIN). /api/admin/* needs the admin's 2FA on outside development
 * (STAFF_REQUIRE_2FA), so the first call turns it on through the real routes; later calls finish the sign-in
 * with a code, or a recovery code when the current code was already spent (a code works once).
 */
export async function signInAdmin(api: TestApi): Promise<{ token: string; user: { id: string } }> {
  const login = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}: ${login.text}`);
  const key = api.config.databaseUrl;
  if (!login.body.mfaRequired) {
    const keys = await enableTwoFactor(api, login.body.token);
    adminKeys.set(key, { ...keys, lastCodeAt: Date.now() });
    return login.body;
  }
  const keys = adminKeys.get(key);
  if (!keys) throw new Error('The admin has 2FA on, set up outside signInAdmin(): sign in with its own keys');
  const step = (ms: number) => Math.floor(ms / 30_000);
  const now = Date.now();
  const proof =
    step(now) > step(keys.lastCodeAt)
      ? { code: totpCode(keys.secret, now) }
      : { recoveryCode: keys.recoveryCodes.shift() };
  if ('code' in proof) keys.lastCodeAt = now;
  const done = await api.request('POST', '/api/auth/login/mfa', {
    body: { mfaToken: login.body.mfaToken, ...proof },
  });
  if (done.status !== 200) throw new Error(`admin 2FA step answered ${done.status}: ${done.text}`);
  return done.body;
}
