/**
 * Injection tokens of the API's Temporal connection (TemporalModule, global).
 *
 * - TEMPORAL_CLIENT: a `@temporalio/client` `Client` on a lazily-connected `Connection` (nothing is dialled
 *   until the first call), or `null` when Temporal is not configured (the API's own tests, by default).
 * - TEMPORAL_SETTINGS: the address and namespace it uses, or `null` when not configured.
 */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');

export interface TemporalSettings {
  /** Frontend host:port (TEMPORAL_ADDRESS). */
  address: string;
  /** TEMPORAL_NAMESPACE. */
  namespace: string;
}
