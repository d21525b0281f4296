import type { EventMetadata, Position, RecordedEvent } from './event-store.port';
import type { UpcasterRegistry } from './upcaster-registry';

/** A row of EVENT_COLUMNS in array mode: int8 and xid8 arrive as strings, jsonb already parsed by pg. */
export type EventRow = [string, string, string, string, string, string, unknown, EventMetadata];

export function rowToEvent(row: EventRow, upcasters: UpcasterRegistry | undefined): RecordedEvent {
  const event: RecordedEvent = {
    id: row[4],
    type: row[5],
    data: row[6],
    metadata: row[7],
    streamId: row[2],
    revision: BigInt(row[3]),
    position: { commit: BigInt(row[1]), prepare: BigInt(row[0]) },
  };
  return upcasters ? upcasters.upcast(event) : event;
}

/** Parameters ($1 commit, $2 prepare) for "strictly after" queries; null means from the beginning. */
export function positionParams(after: Position | null | undefined): [string, string] {
  return after ? [after.commit.toString(), after.prepare.toString()] : ['0', '0'];
}
