import type { DomainEvent } from '@stratus/domain';
import type { RecordedEvent } from '@stratus/eventstore';

/** A recorded event narrowed to one of the domain's event contracts (discriminated on `type`). */
export type Recorded<E extends DomainEvent> =
  E extends DomainEvent<infer T, infer D> ? RecordedEvent<T, D> : never;

/** Narrows a recorded event whose type the projection declared in `handles`. */
export function asRecorded<E extends DomainEvent>(event: RecordedEvent): Recorded<E> {
  return event as unknown as Recorded<E>;
}

export function occurredAt(event: RecordedEvent): Date {
  const at = new Date(event.metadata.occurredAt);
  if (Number.isNaN(at.getTime())) throw new Error(`Event ${event.id} has no valid metadata.occurredAt`);
  return at;
}
