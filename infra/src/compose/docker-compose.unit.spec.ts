import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_SCHEMA, ConfigKey, requiredVariables, ServiceName, VariableSpec } from '../config';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Node.js 20 reached end of life in April 2026; 24 is the active LTS line the images run. */
const CURRENT_NODE_LTS = 24;

interface PackageJson {
  engines: { node: string };
}

interface ComposeService {
  image?: string;
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  build?: { context?: string; dockerfile?: string; target?: string };
  ports?: unknown[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
}
const compose = parse(readFileSync(resolve(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]),
  );
}

/** requiredVariables plus those whose requiredWhen condition holds in this environment. */
function variablesNeeded(service: ServiceName, env: Record<string, string>): ConfigKey[] {
  const conditional = (Object.entries(CONFIG_SCHEMA) as [ConfigKey, VariableSpec][])
    .filter(([, spec]) => spec.services.includes(service) && spec.requiredWhen)
    .filter(([, spec]) => {
      const { variable, equals } = spec.requiredWhen!;
      const value =
        env[variable] ?? (CONFIG_SCHEMA[variable as ConfigKey] as VariableSpec | undefined)?.default;
      return value === equals;
    })
    .map(([key]) => key);
  return [...requiredVariables(service), ...conditional];
}

describe('docker-compose.yml', () => {
  test('only the portal and the API are published; the databases and Temporal stay on the internal network', () => {
    const published = Object.entries(compose.services)
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name]) => name)
      .sort();
    expect(published).toEqual(['api', 'web']);
  });

  it("the API trusts X-Forwarded-For from the portal's fixed address only (visitor-based login limits)", () => {
    const portal = (compose.services.web as { networks?: { default?: { ipv4_address?: string } } }).networks
      ?.default?.ipv4_address;
    expect(portal).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(String(environmentOf(compose.services.api).TRUST_PROXY)).toBe(portal);
  });

  describe('what browsers are given reaches a published port, never an internal service name', () => {
    /** The value as `docker compose up` makes it with nothing set: `${NAME:-default}` → default. */
    const withDefaults = (value: string) => value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
    /** `localhost:<host port>` for each port a service publishes. */
    const publishedOrigins = (name: string) =>
      (compose.services[name].ports ?? []).map((entry) => `localhost:${String(entry).split(':')[0]}`);
    const web = environmentOf(compose.services.web);
    const api = environmentOf(compose.services.api);

    it.each(['LIVE_URL', 'CONSOLE_WS_URL'])("the portal's %s names the API's published port", (key) => {
      const url = new URL(withDefaults(web[key] ?? ''));
      expect([key, url.protocol]).toEqual([key, 'ws:']);
      expect(publishedOrigins('api')).toContain(url.host);
    });

    it('the API hands out the console URL the portal allows, and accepts the portal’s published origin', () => {
      expect(api.CONSOLE_WS_URL).toBe(web.CONSOLE_WS_URL);
      const portal = new URL(withDefaults(web.ORIGIN));
      expect(publishedOrigins('web')).toContain(portal.host);
      for (const key of ['CONSOLE_ALLOWED_ORIGINS', 'PORTAL_URL'])
        expect([key, api[key]]).toEqual([key, web.ORIGIN]);
      expect(environmentOf(compose.services.workers).PORTAL_URL).toBe(web.ORIGIN);
    });

    it('the check refuses an internal service name', () => {
      expect(publishedOrigins('api')).not.toContain(new URL(withDefaults('ws://api:3001/api/live')).host);
      expect(withDefaults('${STRATUS_API_WS_URL:-ws://localhost:3001}/api/live')).toBe(
        'ws://localhost:3001/api/live',
      );
    });
  });

  it('runs the production-like stack on KurrentDB', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 'kurrentdb', 'temporal', 'temporal-ui', 'api', 'workers', 'web']),
    );
    expect(environmentOf(compose.services.api).EVENT_STORE).toBe('eventstoredb');
  });

  /** Services others wait for to finish (one-shot jobs, like the certificate generator): nothing to health-check. */
  const oneShot = new Set(
    Object.values(compose.services).flatMap((service) =>
      Object.entries(Array.isArray(service.depends_on) ? {} : (service.depends_on ?? {}))
        .filter(([, dependency]) => dependency.condition === 'service_completed_successfully')
        .map(([name]) => name),
    ),
  );

  it.each(Object.keys(compose.services).filter((name) => !oneShot.has(name)))(
    '%s has a healthcheck',
    (name) => {
      const healthcheck = compose.services[name].healthcheck;
      expect(healthcheck?.disable).not.toBe(true);
      expect(healthcheck?.test).toBeDefined();
    },
  );

  test.each(['api', 'workers'] as const)(
    '%s falls back on no development default: secrets and loopback URLs (simulators, Mailpit) are set',
    (service) => {
      const env = environmentOf(compose.services[service]);
      const developmentDefaults = (Object.entries(CONFIG_SCHEMA) as [ConfigKey, VariableSpec][])
        .filter(([, spec]) => spec.services.includes(service))
        .filter(
          ([, spec]) =>
            (spec.secret && spec.default !== undefined) ||
            /^[a-z]+:\/\/(127\.0\.0\.1|localhost)[:/]/.test(spec.default ?? ''),
        )
        .map(([key]) => key);
      expect(developmentDefaults.filter((key) => env[key] === undefined)).toEqual([]);
    },
  );

  describe('KurrentDB runs in secure mode', () => {
    const kurrentdb = compose.services.kurrentdb;
    const kurrentEnv = environmentOf(kurrentdb);
    /** The volume mounted at `path` (or a parent of it) in `service`, and whether read-only. */
    const mountOf = (service: ComposeService, path: string) =>
      (service.volumes ?? [])
        .map((entry) => entry.split(':'))
        .filter(([, target]) => target && (path === target || path.startsWith(`${target}/`)))
        .map(([volume, , mode]) => ({ volume, readOnly: mode === 'ro' }))[0];
    /** A required interpolation of a variable: `${NAME:?message}` with no default to fall back on. */
    const requiredVariable = (value: string) => /^\$\{([A-Z0-9_]+):\?[^}]*\}$/.exec(value)?.[1];

    it('no service runs KurrentDB or EventStoreDB insecure', () => {
      for (const [name, service] of Object.entries(compose.services)) {
        const env = environmentOf(service);
        expect([name, env.KURRENTDB_INSECURE ?? env.EVENTSTORE_INSECURE]).toEqual([name, undefined]);
      }
    });

    it('serves TLS with the generated node certificate, mounted read-only from the generator volume', () => {
      const generator = Object.entries(compose.services).find(([, service]) =>
        /es-gencert-cli/.test(service.image ?? ''),
      );
      expect(generator).toBeDefined();
      const [generatorName, generatorService] = generator!;
      expect(kurrentdb.depends_on).toMatchObject({
        [generatorName]: { condition: 'service_completed_successfully' },
      });
      const generated = new Set((generatorService.volumes ?? []).map((entry) => entry.split(':')[0]));
      for (const key of [
        'KURRENTDB_CERTIFICATE_FILE',
        'KURRENTDB_CERTIFICATE_PRIVATE_KEY_FILE',
        'KURRENTDB_TRUSTED_ROOT_CERTIFICATES_PATH',
      ]) {
        expect([key, kurrentEnv[key]]).toEqual([key, expect.stringMatching(/^\//)]);
        const mount = mountOf(kurrentdb, kurrentEnv[key]);
        expect([key, mount]).toEqual([key, { volume: expect.any(String), readOnly: true }]);
        expect(generated.has(mount!.volume)).toBe(true);
      }
    });

    it('has passwords the operator must set (no default), and the clients sign in as admin with it over TLS', () => {
      const adminPassword = requiredVariable(kurrentEnv.KURRENTDB_DEFAULT_ADMIN_PASSWORD ?? '');
      const opsPassword = requiredVariable(kurrentEnv.KURRENTDB_DEFAULT_OPS_PASSWORD ?? '');
      expect(adminPassword).toBeDefined();
      expect(opsPassword).toBeDefined();
      for (const name of ['api', 'workers']) {
        const service = compose.services[name];
        const connection = environmentOf(service).EVENTSTORE_CONNECTION_STRING;
        const url = new URL(connection.replace(/\$\{[^}]*\}/g, 'interpolated'));
        expect([name, url.searchParams.get('tls')]).toEqual([name, 'true']);
        expect(connection).toContain(`//admin:\${${adminPassword}:?`);
        const caFile = url.searchParams.get('tlsCAFile') ?? '';
        expect([name, caFile]).toEqual([name, expect.stringMatching(/^\/.+\.crt$/)]);
        const mount = mountOf(service, caFile);
        expect([name, mount]).toEqual([name, { volume: expect.any(String), readOnly: true }]);
      }
    });

    it('the password check refuses a default or a literal', () => {
      expect(requiredVariable('${KURRENTDB_ADMIN_PASSWORD:-changeit}')).toBeUndefined();
      expect(requiredVariable('changeit')).toBeUndefined();
      expect(requiredVariable('${KURRENTDB_ADMIN_PASSWORD:?set it}')).toBe('KURRENTDB_ADMIN_PASSWORD');
    });
  });

  describe.each(['api', 'workers', 'web'] as ServiceName[])('%s', (service) => {
    const definition = compose.services[service];
    const env = environmentOf(definition);

    it('sets every variable the service requires', () => {
      const needed = variablesNeeded(service, env);
      const missing = needed.filter((key) => !env[key]);
      expect(missing).toEqual([]);
    });

    it('sets only variables the config schema knows for this service', () => {
      const unknown = Object.keys(env).filter(
        (key) =>
          !(key in CONFIG_SCHEMA) ||
          !(CONFIG_SCHEMA[key as ConfigKey] as VariableSpec).services.includes(service),
      );
      expect(unknown).toEqual([]);
    });

    it('passes the schema validation for every literal value', () => {
      const problems = Object.entries(env)
        .filter(([, value]) => !value.includes('${')) // interpolated at `docker compose up`
        .map(([key, value]) => [
          key,
          (CONFIG_SCHEMA[key as ConfigKey] as VariableSpec | undefined)?.validate?.(value),
        ])
        .filter(([, problem]) => problem);
      expect(problems).toEqual([]);
    });

    it('is built from a Dockerfile under infra/docker', () => {
      expect(definition.build?.dockerfile).toMatch(/^infra\/docker\//);
      const dockerfile = readFileSync(
        resolve(REPO_ROOT, definition.build!.context ?? '.', definition.build!.dockerfile!),
        'utf8',
      );
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${definition.build!.target}$`, 'm'));
    });
  });

  it('the check catches a missing required variable and a typo', () => {
    const env = { DATABASE_URL: 'postgres://x@y/z', EVENT_STORE: 'eventstoredb', JWT_SECRTE: 'x'.repeat(32) };
    const needed = variablesNeeded('api', env);
    expect(needed.filter((key) => !(env as Record<string, string>)[key])).toEqual([
      'JWT_SECRET',
      'SECRETS_ENCRYPTION_KEY',
      'EVENTSTORE_CONNECTION_STRING',
    ]);
    expect(Object.keys(env).filter((key) => !(key in CONFIG_SCHEMA))).toEqual(['JWT_SECRTE']);
  });
});

describe('Dockerfiles', () => {
  it('exist for the build targets named in compose', () => {
    expect(existsSync(resolve(REPO_ROOT, 'infra/docker/node.Dockerfile'))).toBe(true);
  });

  it('run Node.js on the current LTS line, inside the range package.json supports', () => {
    const dockerfile = readFileSync(resolve(REPO_ROOT, 'infra/docker/node.Dockerfile'), 'utf8');
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)\S* AS \S+$/gm)].map((match) => Number(match[1]));
    expect(majors).toEqual([CURRENT_NODE_LTS, CURRENT_NODE_LTS, CURRENT_NODE_LTS]);
    const engines = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson)
      .engines;
    const range = /^>=(\d+)\.\d+ <(\d+)$/.exec(engines.node);
    expect(range).not.toBeNull();
    expect(CURRENT_NODE_LTS).toBeGreaterThanOrEqual(Number(range![1]));
    expect(CURRENT_NODE_LTS).toBeLessThan(Number(range![2]));
  });
});
