/**
 * A state as plain JSON for a snapshot store, and back: bigints become {"$bigint": "<digits>"} and
 * ±Infinity {"$number": "Infinity"}, which JSON cannot hold; everything else is copied as is. For states made
 * of JSON values, bigints and numbers (deciders' states, billing facts).
 */
export function toJsonSnapshot(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(toJsonSnapshot);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, toJsonSnapshot(v)]));
  }
  return value;
}

/** Inverse of toJsonSnapshot (accepts the object or its JSON text). */
export function fromJsonSnapshot(json: unknown): unknown {
  return revive(typeof json === 'string' ? JSON.parse(json) : json);
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$bigint === 'string') return BigInt(record.$bigint);
    if (keys.length === 1 && (record.$number === 'Infinity' || record.$number === '-Infinity'))
      return Number(record.$number);
    return Object.fromEntries(keys.map((key) => [key, revive(record[key])]));
  }
  return value;
}
