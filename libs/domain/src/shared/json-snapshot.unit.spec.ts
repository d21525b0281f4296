import { fromJsonSnapshot, toJsonSnapshot } from './json-snapshot';

describe('JSON snapshots of states', () => {
  it('round-trips bigints, Infinity, nested objects and strings that look like JSON, through JSON text', () => {
    const state = {
      status: 'active',
      hourlyPrice: 13_699n,
      ids: ['ef96fb65-8104', '{"a":1}', '12'],
      nested: { debt: -5n, suspensions: [{ start: 1, end: Infinity }], none: null },
    };
    const json = JSON.stringify(toJsonSnapshot(state));
    expect(fromJsonSnapshot(json)).toEqual(state);
    expect(fromJsonSnapshot(JSON.parse(json))).toEqual(state);
  });
});
