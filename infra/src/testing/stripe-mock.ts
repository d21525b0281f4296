import { runStripeMock, type StripeMock, type StripeMockOptions } from '../stripe-mock/stripe-mock';

export type { StripeMock } from '../stripe-mock/stripe-mock';

/**
 * stripe-mock for one test suite on a free loopback port (built from its Go module when the cache has none).
 * `new Stripe(key, { host: '127.0.0.1', port: mock.port, protocol: 'http' })` talks to it; call `mock.stop()` in
 * afterAll.
 */
export function startStripeMock(options: Omit<StripeMockOptions, 'port'> = {}): Promise<StripeMock> {
  return runStripeMock({ ...options, port: 0 });
}
