import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { TASK_QUEUE } from '@stratus/workflows';
import { withActivityContext } from './activities/activity-logger';
import { createActivities, type ActivityDependencies } from './activities/create-activities';

/**
 * The workflow bundle's entry: workflows/dist/workflows.js once built (workflows/src/workflows.ts under
 * jest, which maps the package to its sources). Resolved through the package, never by a machine path.
 */
export function workflowsEntryPath(): string {
  const base = join(dirname(require.resolve('@stratus/workflows')), 'workflows');
  return ['.js', '.ts'].map((ext) => base + ext).find((path) => existsSync(path)) ?? `${base}.js`;
}

export interface TemporalWorkerOptions extends ActivityDependencies {
  /** host:port of the Temporal frontend (TEMPORAL_ADDRESS). */
  address: string;
  namespace?: string;
  taskQueue?: string;
  /** A pre-built bundle (tests build it once per suite); default: bundle workflowsEntryPath() at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra worker options (tests lower concurrency or the sticky queue timeout). */
  worker?: Partial<WorkerOptions>;
}

export interface TemporalWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown()), rejects if it crashed. */
  running: Promise<void>;
  /** Stops polling, lets in-flight activities finish (bounded by shutdownGraceTime), closes the connection. */
  shutdown(): Promise<void>;
}

/** Connects to Temporal and runs the Stratus worker on TASK_QUEUE: both workflows and their activities. */
export async function startTemporalWorker(options: TemporalWorkerOptions): Promise<TemporalWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace ?? 'default',
      taskQueue: options.taskQueue ?? TASK_QUEUE,
      ...(options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath: workflowsEntryPath() }),
      activities: createActivities({ ...options, log: withActivityContext(options.log) }),
      shutdownGraceTime: '10s',
      ...options.worker,
    });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const running = worker.run().finally(() => connection.close());
  let stopping: Promise<void> | null = null;
  return {
    worker,
    running,
    shutdown() {
      stopping ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      })();
      return stopping;
    },
  };
}
