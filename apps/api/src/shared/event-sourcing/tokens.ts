/** Injection tokens of the infrastructure the API is wired to. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');
export const CLOCK = Symbol('CLOCK');

/** The API reads the clock (the domain never does); injectable so tests can pin it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
