import { formatDuration, fromLocalInputValue, prettyJson, shortId, toLocalInputValue } from './format';

test('datetime-local values round-trip through ISO instants in the local zone', () => {
  const iso = '2026-11-30T04:05:06.000Z';
  expect(fromLocalInputValue(toLocalInputValue(iso))).toBe(iso);
  expect(fromLocalInputValue('')).toBe('');
  expect(fromLocalInputValue('nonsense')).toBe('');
});

test('shortId and formatDuration', () => {
  expect(shortId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b');
  expect(shortId('projections')).toBe('projections');
  expect(formatDuration(45_000)).toBe('45 s');
  expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
  expect(formatDuration(76 * 3_600_000)).toBe('3 d 4 h');
});

test('prettyJson survives bigints', () => {
  expect(prettyJson({ a: 1n })).toBe('{\n  "a": "1"\n}');
});
