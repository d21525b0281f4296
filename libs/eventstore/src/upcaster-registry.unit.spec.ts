import type { RecordedEvent } from './event-store.port';
import { comparePositions, formatPosition, parsePosition } from './event-store.port';
import { UpcasterRegistry } from './upcaster-registry';

const recorded = (type: string, data: unknown, schemaVersion: number): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000000',
  type,
  data,
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    actor: { userId: 'u', role: 'admin' },
    occurredAt: '2025-01-01T00:00:00.000Z',
    schemaVersion,
  },
  streamId: 's',
  revision: 0n,
  position: { commit: 1n, prepare: 1n },
});

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('PriceSet', 1, (data: { price: number }) => ({ amount: String(data.price) }))
    .register('PriceSet', 2, (data: { amount: string }) => ({ ...data, currency: 'USD' }));

  it('chains steps from the stored version to the current one', () => {
    const event = registry.upcast(recorded('PriceSet', { price: 5 }, 1));
    expect(event.data).toEqual({ amount: '5', currency: 'USD' });
    expect(event.metadata.schemaVersion).toBe(3);
  });

  it('starts from the stored version and leaves current and unknown events untouched', () => {
    expect(registry.upcast(recorded('PriceSet', { amount: '1' }, 2)).data).toEqual({
      amount: '1',
      currency: 'USD',
    });
    const current = recorded('PriceSet', { amount: '1', currency: 'EUR' }, 3);
    expect(registry.upcast(current)).toBe(current);
    const other = recorded('Other', {}, 1);
    expect(registry.upcast(other)).toBe(other);
  });

  it('does not mutate the stored event', () => {
    const stored = recorded('PriceSet', { price: 5 }, 1);
    registry.upcast(stored);
    expect(stored.data).toEqual({ price: 5 });
    expect(stored.metadata.schemaVersion).toBe(1);
  });

  it('rejects a second step for the same version and invalid versions', () => {
    expect(() => registry.register('PriceSet', 1, (d) => d)).toThrow(/already registered/);
    expect(() => new UpcasterRegistry().register('X', 0, (d) => d)).toThrow(RangeError);
  });
});

describe('positions', () => {
  it('order by commit then prepare and round-trip through text', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 1n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
    expect(parsePosition(formatPosition({ commit: 7841n, prepare: 1203n }))).toEqual({
      commit: 7841n,
      prepare: 1203n,
    });
    expect(parsePosition('nope')).toBeNull();
  });
});
