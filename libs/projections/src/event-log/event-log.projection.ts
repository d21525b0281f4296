import { streamCategory } from '@stratus/domain';
import type { RecordedEvent } from '@stratus/eventstore';
import { ALL_EVENT_TYPES, type Projection } from '../projection';
import { occurredAt } from '../shared/events';
import { EventLogEntity, type EventLogRow } from './event-log.entity';

/** Streams whose id is the organization's id (the wallet is keyed by its organization). */
const ORGANIZATION_KEYED_CATEGORIES = new Set(['organization', 'wallet']);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The organization an event belongs to, when the event itself says so. */
export function organizationOf(event: RecordedEvent): string | null {
  const data = event.data as { organizationId?: unknown } | null;
  const fromData = data && typeof data === 'object' ? text(data.organizationId) : null;
  if (fromData) return fromData;
  const category = streamCategory(event.streamId);
  return ORGANIZATION_KEYED_CATEGORIES.has(category) ? text(event.streamId.slice(category.length + 1)) : null;
}

/** Every event, one row each, exactly as recorded (the row never changes once written). */
export const eventLogProjection: Projection<EventLogRow> = {
  name: 'event-log',
  entity: EventLogEntity,
  handles: ALL_EVENT_TYPES,
  keyOf: (event) => event.id,
  evolve(_row, event) {
    const metadata = (event.metadata ?? {}) as Partial<RecordedEvent['metadata']>;
    const actor: Partial<RecordedEvent['metadata']['actor']> = metadata.actor ?? {};
    return {
      eventId: event.id,
      positionCommit: event.position.commit,
      positionPrepare: event.position.prepare,
      streamId: event.streamId,
      streamCategory: streamCategory(event.streamId),
      revision: event.revision,
      type: event.type,
      organizationId: organizationOf(event),
      actorUserId: text(actor.userId),
      actorRole: text(actor.role),
      impersonatorId: text(actor.impersonatorId),
      ip: text(actor.ip),
      userAgent: text(actor.userAgent),
      correlationId: text(metadata.correlationId),
      causationId: text(metadata.causationId),
      occurredAt: occurredAt(event),
      data: event.data ?? null,
      metadata: event.metadata ?? null,
    };
  },
};
