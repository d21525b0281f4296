/**
 * Replays every saved history in __fixtures__ against the current workflow code: a change that would break
 * running workflows (nondeterminism) fails here. Fixtures are recorded by the workers' integration suite:
 *   RECORD_WORKFLOW_FIXTURES=1 npx jest apps/workers/src/temporal/provisioning.int.spec.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';

const FIXTURES = join(__dirname, '__fixtures__');
const quiet = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
};

test('every saved history of both workflow types replays deterministically', async () => {
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
  expect(types).toEqual(new Set(['provisioningWorkflow', 'billingWorkflow']));
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
