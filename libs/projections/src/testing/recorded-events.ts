import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@stratus/eventstore';

let sequence = 0n;

/** A recorded event for projection tests; positions increase with each call unless given. */
export function recorded<TData>(
  type: string,
  data: TData,
  options: {
    id?: string;
    streamId?: string;
    occurredAt?: string;
    actorUserId?: string;
    position?: { commit: bigint; prepare: bigint };
  } = {},
): RecordedEvent<string, TData> {
  sequence += 1n;
  return {
    id: options.id ?? randomUUID(),
    type,
    data,
    streamId: options.streamId ?? 'test-stream',
    revision: 0n,
    position: options.position ?? { commit: sequence, prepare: sequence },
    metadata: {
      correlationId: 'c',
      causationId: 'c',
      actor: { userId: options.actorUserId ?? 'user-actor', role: 'customer' },
      occurredAt: options.occurredAt ?? '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
    },
  };
}
