import type { EventMetadata, RecordedEvent } from './event-store.port';

/** Lifts an event's data from `fromSchemaVersion` to `fromSchemaVersion + 1`. Must be pure. */
export type Upcaster = (data: any, metadata: EventMetadata) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Old event versions are read as the current shape: every read path of an adapter passes each event
 * through `upcast`, which chains the registered steps (v1 → v2 → v3 …) until none applies.
 */
export class UpcasterRegistry {
  // type → (fromSchemaVersion → step). Two-level map so events of types without upcasters cost one lookup.
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromSchemaVersion: number, upcaster: Upcaster): this {
    if (!Number.isInteger(fromSchemaVersion) || fromSchemaVersion < 1) {
      throw new RangeError(
        `Upcaster for ${type}: fromSchemaVersion must be an integer >= 1, got ${fromSchemaVersion}`,
      );
    }
    let steps = this.byType.get(type);
    if (!steps) this.byType.set(type, (steps = new Map()));
    if (steps.has(fromSchemaVersion)) {
      throw new Error(`Upcaster for ${type} from schema version ${fromSchemaVersion} is already registered`);
    }
    steps.set(fromSchemaVersion, upcaster);
    return this;
  }

  /** The event in its current shape; the same object when no upcaster applies. */
  upcast<E extends RecordedEvent>(event: E): E {
    const steps = this.byType.get(event.type);
    if (!steps) return event;
    let step = steps.get(event.metadata.schemaVersion);
    if (!step) return event;
    let data: unknown = event.data;
    let metadata = event.metadata;
    while (step) {
      data = step(data, metadata);
      metadata = { ...metadata, schemaVersion: metadata.schemaVersion + 1 };
      step = steps.get(metadata.schemaVersion);
    }
    return { ...event, data, metadata };
  }
}
