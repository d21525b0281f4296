/**
 * Linode's X-Filter header on list operations, the subset Linode documents: field equality (a scalar on an array
 * field matches when the array contains it), the +contains/+neq/+gt/+gte/+lt/+lte operators, +and/+or, and
 * +order_by/+order.
 */
import { badRequest } from './linode-errors';
import { isRecord } from './request-validation';

const FILTERABLE_FIELDS = new Set([
  'id',
  'label',
  'region',
  'tags',
  'group',
  'image',
  'type',
  'status',
  'ipv4',
]);

type Filter = Record<string, unknown>;

function parseFilter(header: string | string[] | undefined): Filter | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join('') : header;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest([{ field: 'X-Filter', reason: 'Invalid JSON' }]);
  }
  if (!isRecord(parsed)) throw badRequest([{ field: 'X-Filter', reason: 'Filter must be an object' }]);
  return parsed;
}

function fieldMatches(value: unknown, condition: unknown, field: string): boolean {
  // Linode: a scalar on an array field (tags, ipv4) matches when the array contains it.
  const values = Array.isArray(value) ? value : [value];
  if (!isRecord(condition)) return values.some((candidate) => candidate === condition);
  return Object.entries(condition).every(([operator, operand]) => {
    switch (operator) {
      case '+contains':
        return values.some(
          (candidate) => typeof candidate === 'string' && candidate.includes(String(operand)),
        );
      case '+neq':
        return values.every((candidate) => candidate !== operand);
      case '+gt':
        return values.some((candidate) => typeof candidate === 'number' && candidate > Number(operand));
      case '+gte':
        return values.some((candidate) => typeof candidate === 'number' && candidate >= Number(operand));
      case '+lt':
        return values.some((candidate) => typeof candidate === 'number' && candidate < Number(operand));
      case '+lte':
        return values.some((candidate) => typeof candidate === 'number' && candidate <= Number(operand));
      default:
        throw badRequest([{ field: 'X-Filter', reason: `Unknown filter operator ${operator} on ${field}` }]);
    }
  });
}

function matchesFilter(record: Record<string, unknown>, filter: Filter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '+order_by' || key === '+order') return true;
    if (key === '+and' || key === '+or') {
      if (!Array.isArray(condition) || !condition.every(isRecord))
        throw badRequest([{ field: 'X-Filter', reason: `${key} must be a list of filters` }]);
      const results = (condition as Filter[]).map((inner) => matchesFilter(record, inner));
      return key === '+and' ? results.every(Boolean) : results.some(Boolean);
    }
    if (!FILTERABLE_FIELDS.has(key))
      throw badRequest([{ field: 'X-Filter', reason: `Cannot filter on ${key}` }]);
    return fieldMatches(record[key], condition, key);
  });
}

function applyOrder<T extends object>(records: T[], filter: Filter): T[] {
  const orderBy = filter['+order_by'];
  if (typeof orderBy !== 'string') return records;
  if (!FILTERABLE_FIELDS.has(orderBy))
    throw badRequest([{ field: 'X-Filter', reason: `Cannot order by ${orderBy}` }]);
  const direction = filter['+order'] === 'desc' ? -1 : 1;
  return [...records].sort((a, b) => {
    const left = String((a as Record<string, unknown>)[orderBy]);
    const right = String((b as Record<string, unknown>)[orderBy]);
    return left < right ? -direction : left > right ? direction : 0;
  });
}

/** The records the X-Filter header selects, in its order; all of them, as they came, without the header. */
export function applyXFilter<T extends object>(records: T[], header: string | string[] | undefined): T[] {
  const filter = parseFilter(header);
  if (!filter) return records;
  return applyOrder(
    records.filter((record) => matchesFilter(record as Record<string, unknown>, filter)),
    filter,
  );
}
