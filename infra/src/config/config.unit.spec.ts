import { CONFIG_SCHEMA, ConfigError, durationSeconds, loadConfig, requiredVariables, requireValue } from '.';

const api = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/stratus',
  JWT_SECRET: 'a'.repeat(32),
  SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('applies defaults for unset and empty variables', () => {
    const config = loadConfig('api', { ...api, API_PORT: '' });
    expect(config.API_PORT).toBe('3001');
    expect(config.EVENT_STORE).toBe('postgres');
    expect(config.NODE_ENV).toBe('development');
    expect(config.JWT_TTL_SECONDS).toBe('43200');
  });

  it('keeps given values', () => {
    expect(loadConfig('api', { ...api, API_PORT: '8080' }).API_PORT).toBe('8080');
  });

  it('reads only the variables of the service', () => {
    const config = loadConfig('web', {});
    expect(config.WEB_PORT).toBe('3000');
    expect(config.API_URL).toBe('http://localhost:3001/api');
    expect('DATABASE_URL' in config).toBe(false);
  });

  it('names a missing required variable in one clear message', () => {
    const error = errorOf(() => loadConfig('api', { JWT_SECRET: api.JWT_SECRET }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`DATABASE_URL is required (${CONFIG_SCHEMA.DATABASE_URL.description})`);
  });

  it.each([
    ['DATABASE_URL', 'mysql://localhost/stratus', 'must be a postgres: or postgresql: URL'],
    ['DATABASE_URL', 'not a url', 'must be a URL'],
    ['API_PORT', '70000', 'must be a TCP port (1-65535)'],
    ['API_PORT', 'http', 'must be a TCP port (1-65535)'],
    ['JWT_SECRET', 'short', 'must be at least 32 characters'],
    ['EVENT_STORE', 'mongo', 'must be one of postgres, eventstoredb'],
    ['JWT_TTL_SECONDS', '0', 'must be a positive integer'],
  ])('rejects malformed %s=%s naming it', (key, value, problem) => {
    const error = errorOf(() => loadConfig('api', { ...api, [key]: value }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.startsWith(`${key} ${problem} (`)).toBe(true);
  });

  it('does not print the value of a secret in its error', () => {
    const error = errorOf(() => loadConfig('api', { ...api, JWT_SECRET: 'hunter2-secret' }));
    expect(error.message).not.toContain('hunter2-secret');
  });

  describe('requiredWhen', () => {
    it('EVENTSTORE_CONNECTION_STRING is optional with the postgres event store', () => {
      expect(loadConfig('api', api).EVENTSTORE_CONNECTION_STRING).toBeUndefined();
    });

    it('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb', () => {
      const error = errorOf(() => loadConfig('workers', { ...api, EVENT_STORE: 'eventstoredb' }));
      expect(error.message).toMatch(/^EVENTSTORE_CONNECTION_STRING is required/);
    });

    it('accepts an esdb URL then', () => {
      const config = loadConfig('workers', {
        ...api,
        EVENT_STORE: 'eventstoredb',
        EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      });
      expect(config.EVENTSTORE_CONNECTION_STRING).toBe('esdb://localhost:2113?tls=false');
    });
  });

  it('PAYMENT_EXPIRE_AFTER is a duration: 3h by default, a malformed one refused', () => {
    expect(durationSeconds(loadConfig('api', api).PAYMENT_EXPIRE_AFTER!)).toBe(3 * 3600);
    expect(['90s', '30m', '3h', '2d'].map(durationSeconds)).toEqual([90, 1800, 10_800, 172_800]);
    for (const value of ['3', '0h', '1.5h', 'h', '3 h', '-1m', '1w']) {
      expect(durationSeconds(value)).toBeNull();
      expect(errorOf(() => loadConfig('api', { ...api, PAYMENT_EXPIRE_AFTER: value })).message).toContain(
        'PAYMENT_EXPIRE_AFTER',
      );
    }
  });

  it('requireValue names an absent optional variable', () => {
    const config = loadConfig('api', api);
    expect(() => requireValue(config, 'ADMIN_EMAIL')).toThrow(/^ADMIN_EMAIL is required/);
  });
});

describe('requiredVariables', () => {
  it('lists the variables without default that are not optional', () => {
    expect(requiredVariables('api')).toEqual(['DATABASE_URL', 'JWT_SECRET', 'SECRETS_ENCRYPTION_KEY']);
    expect(requiredVariables('workers')).toEqual(['DATABASE_URL', 'SECRETS_ENCRYPTION_KEY']);
    expect(requiredVariables('web')).toEqual([]);
  });
});
