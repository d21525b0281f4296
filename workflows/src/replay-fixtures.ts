/**
 * Replay fixtures (workflows/src/__fixtures__, replayed by replay.int.spec.ts): a history recorded by the
 * workflow code from before a patch (`patched` with the id <id>) is saved as `<PRE_PATCH_FIXTURE_PREFIX><id>-<n>.json` (the workers'
 * pre-patch-fixtures.record.ts writes them; the replay test requires one for every patch id in the code).
 */
export const PRE_PATCH_FIXTURE_PREFIX = 'pre-patch-';
