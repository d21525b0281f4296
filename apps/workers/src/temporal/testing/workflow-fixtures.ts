import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';

/** Where replay fixtures live (committed); workflows/src/replay.int.spec.ts replays every file there. */
export const WORKFLOW_FIXTURES_DIR = resolve(__dirname, '../../../../../workflows/src/__fixtures__');
/** The checkout's root: stack traces in recorded failures name files relative to it (no machine path is committed). */
const REPO_ROOT = resolve(__dirname, '../../../../..');

/**
 * Saves the histories of finished workflows as replay fixtures, only when RECORD_WORKFLOW_FIXTURES=1:
 *   RECORD_WORKFLOW_FIXTURES=1 npx jest apps/workers/src/temporal/provisioning.int.spec.ts
 * Re-record after an intentional workflow change (and keep the old files if running workflows must still replay:
 * then the change needs `patched()`).
 */
export async function recordFixture(name: string, handles: WorkflowHandle[]): Promise<void> {
  if (process.env.RECORD_WORKFLOW_FIXTURES !== '1') return;
  await saveFixture(name, handles);
}

/** Writes each workflow's history as `<name>-<n>.json` in the fixtures folder. */
export async function saveFixture(name: string, handles: WorkflowHandle[]): Promise<void> {
  mkdirSync(WORKFLOW_FIXTURES_DIR, { recursive: true });
  for (const [index, handle] of handles.entries()) {
    const history = await handle.fetchHistory();
    const json = JSON.stringify(
      temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
        longs: String,
        enums: String,
        bytes: String,
      }),
    );
    writeFileSync(
      join(WORKFLOW_FIXTURES_DIR, `${name}-${index + 1}.json`),
      json.split(`${REPO_ROOT}/`).join(''),
    );
  }
}
