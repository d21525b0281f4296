import type { EntitySchema } from '@mikro-orm/core';
import type { RecordedEvent } from '@stratus/eventstore';

/**
 * A primary key as `keyOf` returns it: the value for a single-column key, or the values in the
 * entity's primary-key order for a composite key.
 */
export type ProjectionKey = string | readonly string[];

/**
 * A read model answering one question. `evolve` is a pure function of (row, event): no clock, no I/O;
 * time comes from `event.metadata.occurredAt`. Returning null deletes the row.
 */
export interface Projection<Row extends object = object> {
  /** Stable name: the checkpoint's primary key and the NOTIFY payload. */
  readonly name: string;
  readonly entity: EntitySchema<Row>;
  /**
   * Event types this projection reads; every other event only advances the checkpoint.
   * `ALL_EVENT_TYPES` (['*']) reads every event (the audit log).
   */
  readonly handles: readonly string[];
  /** Row the event touches, or null when it touches none. */
  keyOf(event: RecordedEvent): ProjectionKey | null;
  evolve(row: Row | null, event: RecordedEvent): Row | null;
}

/** `handles` value of a projection that reads every event type. */
export const ALL_EVENT_TYPES: readonly string[] = Object.freeze(['*']);

/** Whether a projection reads events of this type. */
export function projectionHandles(handles: ReadonlySet<string>, type: string): boolean {
  return handles.has(type) || handles.has('*');
}

/** A projection of any row type (the registry and the runner handle every one alike). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = Projection<any>;

/** Map key of a primary key (composite keys joined unambiguously). */
export function serializeKey(key: ProjectionKey): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

/**
 * Folds events into rows in memory, exactly as the runner does batch by batch: the reference the
 * tests compare the database against.
 */
export function foldProjection<Row extends object>(
  projection: Projection<Row>,
  events: Iterable<RecordedEvent>,
  rows: Map<string, Row> = new Map(),
): Map<string, Row> {
  const handles = new Set(projection.handles);
  for (const event of events) {
    if (!projectionHandles(handles, event.type)) continue;
    const key = projection.keyOf(event);
    if (key === null) continue;
    const id = serializeKey(key);
    const next = projection.evolve(rows.get(id) ?? null, event);
    if (next === null) rows.delete(id);
    else rows.set(id, next);
  }
  return rows;
}
