/**
 * Replays every saved history in __fixtures__ against the current workflow code: a change that would break
 * running workflows (nondeterminism) fails here. Fixtures are recorded by the workers' integration suite:
 *   RECORD_WORKFLOW_FIXTURES=1 npx jest apps/workers/src/temporal/provisioning.int.spec.ts
 * and, for the old branch of every `patched()`, by apps/workers/src/temporal/testing/pre-patch-fixtures.record.ts
 * from the workflow code of the commit before the patch: there the patch must take its old branch, so removing
 * a patch (or changing what its old branch does) fails the replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { PRE_PATCH_FIXTURE_PREFIX } from './replay-fixtures';

const FIXTURES = join(__dirname, '__fixtures__');
const quiet = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
};

/** Every `patched('<id>')` in the workflow code. */
function patchIds(): string[] {
  const ids = new Set<string>();
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))) {
    for (const match of readFileSync(join(__dirname, file), 'utf8').matchAll(/patched\('([^']+)'\)/g))
      ids.add(match[1]);
  }
  return [...ids].sort();
}

/** The patch ids whose markers a history recorded. */
function markersOf(history: { events?: { markerRecordedEventAttributes?: unknown }[] }): Set<string> {
  const ids = new Set<string>();
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes as
      { markerName?: string; details?: Record<string, { payloads?: { data?: string }[] }> } | undefined;
    if (marker?.markerName !== 'core_patch') continue;
    for (const payload of marker.details?.['patch-data']?.payloads ?? []) {
      const data = JSON.parse(Buffer.from(payload.data ?? '', 'base64').toString('utf8')) as { id?: string };
      if (data.id) ids.add(data.id);
    }
  }
  return ids;
}

test('every patch has a history recorded by the code before it, which took no marker for it', () => {
  const ids = patchIds();
  expect(ids.length).toBeGreaterThan(0);
  const files = readdirSync(FIXTURES);
  const missing: string[] = [];
  for (const id of ids) {
    const recorded = files.filter(
      (f) => f.startsWith(`${PRE_PATCH_FIXTURE_PREFIX}${id}-`) && f.endsWith('.json'),
    );
    if (recorded.length === 0) missing.push(id);
    for (const file of recorded)
      expect({
        file,
        marker: markersOf(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'))).has(id),
      }).toEqual({ file, marker: false });
  }
  expect(missing).toEqual([]);
});

test('every saved history of each workflow type replays deterministically', async () => {
  const files = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const histories = files.map((file) => ({
    workflowId: file,
    history: temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')),
    ),
  }));
  const types = new Set(
    histories.map((h) => h.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name),
  );
  expect(types).toEqual(
    new Set([
      'provisioningWorkflow',
      'billingWorkflow',
      'paymentWorkflow',
      'transferMeasurementWorkflow',
      'transferMonthCloseAllWorkflow',
      'transferMonthCloseWorkflow',
    ]),
  );
  expect(files.length).toBeGreaterThanOrEqual(6);

  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: quiet,
  });
  const results: { file: string; error: string | null }[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    results.push({ file: result.workflowId, error: result.error ? String(result.error) : null });
  }
  expect(results).toEqual(files.map((file) => ({ file, error: null })));
});
