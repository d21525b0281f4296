/** A domain event as the decider sees it: a type and JSON-safe data (no bigint, no Date). */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  type: TType;
  data: TData;
}

/** What every command carries besides its data: the clock and the actor come from outside. */
export interface CommandMetadata {
  /** ISO-8601 instant; the domain never reads a clock. */
  now: string;
  actor: { userId: string; role: string };
  /**
   * The most the actor's credential allows (an API key's scopes, permission names); absent, what their roles
   * allow. Deciders that hand out permissions count only these as held.
   */
  scopes?: readonly string[];
}

export interface Command<TType extends string = string, TData extends object = object> {
  type: TType;
  data: TData;
  metadata: CommandMetadata;
}

/** Emmett-style decider: pure functions, no I/O. */
export interface Decider<TState, TCommand extends Command, TEvent extends DomainEvent> {
  decide(command: TCommand, state: TState): TEvent[];
  evolve(state: TState, event: TEvent): TState;
  initialState(): TState;
}

export type DomainErrorCode =
  | 'validation' // 400/422: the command is malformed or breaks a rule about its own data
  | 'not_found' // 404
  | 'forbidden' // 403 (only where revealing existence is fine)
  | 'conflict' // 409: the aggregate's state forbids it (already exists, last owner...)
  | 'gone' // 410: what the command names existed but is over for good (a used, revoked or expired invitation)
  | 'unauthorized' // 401: the credential the command rests on (a sign-in step) is no longer good
  | 'rate_limited' // 429: too many attempts; details.retryAfterSeconds says when to try again
  | 'insufficient_funds'; // 402/409: the wallet cannot pay

/** A rejection decided by the domain. `reason` is a stable machine-readable code, e.g. 'email_taken'. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
