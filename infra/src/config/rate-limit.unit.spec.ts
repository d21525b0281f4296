import { isRateLimit, parseRateLimit } from './rate-limit';

describe('rate-limit settings', () => {
  it('reads <requests>/<period> with the period in seconds, minutes or hours', () => {
    expect(parseRateLimit('600/1m')).toEqual({ limit: 600, periodSeconds: 60 });
    expect(parseRateLimit('20/1h')).toEqual({ limit: 20, periodSeconds: 3600 });
    expect(parseRateLimit(' 3/45s ')).toEqual({ limit: 3, periodSeconds: 45 });
    expect(parseRateLimit('1/24h')).toEqual({ limit: 1, periodSeconds: 86_400 });
  });

  it.each(['', '600', '600/60', '0/1m', '10/0s', '-1/1m', '1.5/1m', '10/1d', '1/25h', '10 / 1m'])(
    'refuses %j',
    (value) => {
      expect(parseRateLimit(value)).toBeNull();
      expect(isRateLimit(value)).toMatch(/^must be/);
    },
  );
});
