import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  test('with a token: only the matching bearer token is allowed', () => {
    const config = { nodeEnv: 'production', metricsToken: 'a-token-of-sufficient-length' };
    expect(metricsAccess(config, 'Bearer a-token-of-sufficient-length')).toBe('allowed');
    expect(metricsAccess(config, undefined)).toBe('unauthorized');
    expect(metricsAccess(config, 'Bearer a-token-of-sufficient-lengtH')).toBe('unauthorized');
    expect(metricsAccess(config, 'Bearer short')).toBe('unauthorized');
    expect(metricsAccess(config, 'Basic a-token-of-sufficient-length')).toBe('unauthorized');
  });

  test('without a token: open outside production, off in production', () => {
    expect(metricsAccess({ nodeEnv: 'development' }, undefined)).toBe('allowed');
    expect(metricsAccess({ nodeEnv: 'test' }, undefined)).toBe('allowed');
    expect(metricsAccess({ nodeEnv: 'production' }, undefined)).toBe('disabled');
    expect(metricsAccess({ nodeEnv: 'production' }, 'Bearer anything')).toBe('disabled');
  });
});
