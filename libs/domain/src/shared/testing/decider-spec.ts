import { DomainError, type Command, type Decider, type DomainErrorCode, type DomainEvent } from '../decider';

/**
 * Given/when/then for deciders, Emmett style:
 *
 *   DeciderSpecification.for(walletDecider)
 *     .given([opened, credited])
 *     .when(chargeWallet)
 *     .then([charged]);            // or .thenThrows('not_found', 'wallet_not_found')
 *
 * `then` also folds the produced events through `evolve`, so every event a decider emits is one it can read back.
 * Test-only (uses jest's `expect`); import it as '@stratus/domain/shared/testing/decider-spec'.
 */
export const DeciderSpecification = {
  for<TState, TCommand extends Command, TEvent extends DomainEvent>(
    decider: Decider<TState, TCommand, TEvent>,
  ) {
    return {
      given(events: TEvent[] = []) {
        return {
          when(command: TCommand) {
            const run = (): { state: TState; result: TEvent[] | undefined; error: unknown } => {
              const state = events.reduce(decider.evolve, decider.initialState());
              try {
                return { state, result: decider.decide(command, state), error: undefined };
              } catch (error) {
                return { state, result: undefined, error };
              }
            };
            return {
              /** Expect exactly these events (deep equality, order matters); returns the state after them. */
              then(expected: TEvent[]): TState {
                const { state, result, error } = run();
                expect(error).toBeUndefined();
                expect(result).toEqual(expected);
                return (result ?? []).reduce(decider.evolve, state);
              },
              /** Expect a DomainError with this code and reason (and details, if given, as a subset). */
              thenThrows(
                code: DomainErrorCode,
                reason?: string,
                details?: Record<string, unknown>,
              ): DomainError {
                const { result, error } = run();
                expect(result).toBeUndefined();
                expect(error).toBeInstanceOf(DomainError);
                const domainError = error as DomainError;
                expect({
                  code: domainError.code,
                  reason: reason === undefined ? undefined : domainError.reason,
                }).toEqual({
                  code,
                  reason,
                });
                if (details !== undefined) expect(domainError.details).toMatchObject(details);
                expect(domainError.message.length).toBeGreaterThan(0);
                return domainError;
              },
            };
          },
        };
      },
    };
  },
};

/** Fold events into a state, the way a command handler rebuilds an aggregate. */
export function stateAfter<TState, TCommand extends Command, TEvent extends DomainEvent>(
  decider: Decider<TState, TCommand, TEvent>,
  events: TEvent[],
): TState {
  return events.reduce(decider.evolve, decider.initialState());
}
