import { assertNever, DomainError, type Command, type Decider, type DomainEvent } from '../decider';
import { DeciderSpecification, stateAfter } from './decider-spec';
import { metadataFor } from './metadata';

// A counter that refuses to go above 2: the smallest decider that can emit and reject.
type Incremented = DomainEvent<'Incremented', { by: number }>;
type Increment = Command<'Increment', { by: number }>;
const counter: Decider<{ status: 'counting'; value: number }, Increment, Incremented> = {
  initialState: () => ({ status: 'counting', value: 0 }),
  decide: (command, state) => {
    switch (command.type) {
      case 'Increment':
        if (state.value + command.data.by > 2)
          throw new DomainError('conflict', 'too_high', 'Too high', { limit: 2 });
        return [{ type: 'Incremented', data: { by: command.data.by } }];
      default:
        return assertNever(command.type);
    }
  },
  evolve: (state, event) => ({ ...state, value: state.value + event.data.by }),
};
const increment = (by: number): Increment => ({
  type: 'Increment',
  data: { by },
  metadata: metadataFor('u'),
});
const incremented = (by: number): Incremented => ({ type: 'Incremented', data: { by } });
const spec = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes on the expected events and returns the state after them', () => {
    expect(
      spec
        .given([incremented(1)])
        .when(increment(1))
        .then([incremented(1)]),
    ).toEqual({
      status: 'counting',
      value: 2,
    });
  });

  it('passes on the expected error', () => {
    const error = spec
      .given([incremented(2)])
      .when(increment(1))
      .thenThrows('conflict', 'too_high', { limit: 2 });
    expect(error.message).toBe('Too high');
  });

  it('fails when the events differ', () => {
    expect(() =>
      spec
        .given([])
        .when(increment(1))
        .then([incremented(2)]),
    ).toThrow();
    expect(() => spec.given([]).when(increment(1)).then([])).toThrow();
  });

  it('fails when an error was expected but events came', () => {
    expect(() => spec.given([]).when(increment(1)).thenThrows('conflict', 'too_high')).toThrow();
  });

  it('fails when events were expected but an error came', () => {
    expect(() =>
      spec
        .given([incremented(2)])
        .when(increment(1))
        .then([]),
    ).toThrow();
  });

  it('fails on the wrong code, reason or details', () => {
    const when = spec.given([incremented(2)]).when(increment(1));
    expect(() => when.thenThrows('not_found', 'too_high')).toThrow();
    expect(() => when.thenThrows('conflict', 'other')).toThrow();
    expect(() => when.thenThrows('conflict', 'too_high', { limit: 3 })).toThrow();
  });

  it('stateAfter folds from the initial state', () => {
    expect(stateAfter(counter, [incremented(1), incremented(1)]).value).toBe(2);
  });
});
