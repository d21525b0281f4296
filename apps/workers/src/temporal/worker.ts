import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleSpec,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import {
  billingWorkflowId,
  DELETION_RESIGNAL_SCHEDULE_ID,
  TRANSFER_MEASUREMENT_SCHEDULE_ID,
  TRANSFER_MONTH_CLOSE_SCHEDULE_ID,
  deleteServerSignal,
  TASK_QUEUE,
  walletToppedUpSignal,
  WORKFLOW_TYPES,
  type DeletionResignalInput,
} from '@stratus/workflows';
import type { BillingDirectory } from '@stratus/projections';
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

/** deleteServerSignal to a server's billing workflow, through a Temporal client. */
export function billingDeletionSignaller(client: Client) {
  return async (vpsId: string, request: { requestedAt: string }): Promise<void> => {
    await client.workflow.getHandle(billingWorkflowId(vpsId)).signal(deleteServerSignal, request);
  };
}

/**
 * walletToppedUpSignal to the billing workflow of each of the organization's servers (the directory's list: every
 * status, so one that became active a moment ago is not missed). A workflow that has ended is skipped; the first
 * other failure is thrown once every server was tried.
 */
export function billingTopUpSignaller(client: Client, directory: Pick<BillingDirectory, 'serversOf'>) {
  return async (organizationId: string): Promise<void> => {
    let failure: unknown = null;
    for (const vpsId of await directory.serversOf(organizationId)) {
      try {
        await client.workflow.getHandle(billingWorkflowId(vpsId)).signal(walletToppedUpSignal);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  };
}

/**
 * The deletion re-signal schedule (DELETION_RESIGNAL_SCHEDULE_ID), created once: a second worker (or a restart)
 * finds it already there and leaves it as it is. Returns whether this call created it.
 */
export async function ensureDeletionResignalSchedule(
  client: Client,
  settings: { taskQueue: string; everySeconds: number } & DeletionResignalInput,
): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: DELETION_RESIGNAL_SCHEDULE_ID,
      spec: { intervals: [{ every: `${settings.everySeconds}s` }] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPES.deletionResignal,
        taskQueue: settings.taskQueue,
        args: [{ stuckAfterSeconds: settings.stuckAfterSeconds } satisfies DeletionResignalInput],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}

/**
 * The transfer schedules, each created once (a second worker finds them there): the measurement every
 * `measureEverySeconds` (an hour in production, at hh:59), and the month close at 01:00 UTC on each month's first day (an hour
 * after the month's end, so the month's last measurements are in). Returns the ids this call created.
 */
export async function ensureTransferSchedules(
  client: Client,
  settings: { taskQueue: string; measureEverySeconds: number },
): Promise<string[]> {
  const created: string[] = [];
  const schedules: { scheduleId: string; spec: ScheduleSpec; workflowType: string }[] = [
    {
      scheduleId: TRANSFER_MEASUREMENT_SCHEDULE_ID,
      // A minute before each interval's end (hh:59 for hourly): the month's last measurement comes a minute before
      // the provider resets its counter, so at most that minute of a month goes uncounted.
      spec: {
        intervals: [
          {
            every: settings.measureEverySeconds * 1000,
            offset: settings.measureEverySeconds > 120 ? (settings.measureEverySeconds - 60) * 1000 : 0,
          },
        ],
      },
      workflowType: WORKFLOW_TYPES.transferMeasurement,
    },
    {
      scheduleId: TRANSFER_MONTH_CLOSE_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 1, minute: 0 }] },
      workflowType: WORKFLOW_TYPES.transferMonthCloseAll,
    },
  ];
  for (const { scheduleId, spec, workflowType } of schedules) {
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action: { type: 'startWorkflow', workflowType, taskQueue: settings.taskQueue, args: [] },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
      created.push(scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
  return created;
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
  /**
   * The deletion re-signal schedule (DELETION_RESIGNAL_AFTER_SECONDS): created at start, run every
   * `everySeconds`; signals through this worker's own client. Absent: no schedule, no re-signal.
   */
  deletionResignal?: { everySeconds: number; stuckAfterSeconds: number } | null;
  /** The transfer schedules (ensureTransferSchedules): created at start. Absent: no measurement, no month close. */
  transfer?: { measureEverySeconds: number } | null;
}

export interface TemporalWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown()), rejects if it crashed. */
  running: Promise<void>;
  /** Stops polling, lets in-flight activities finish (bounded by shutdownGraceTime), closes the connection. */
  shutdown(): Promise<void>;
}

/** Connects to Temporal and runs the Stratus worker on TASK_QUEUE: every workflow and its activities. */
export async function startTemporalWorker(options: TemporalWorkerOptions): Promise<TemporalWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const namespace = options.namespace ?? 'default';
  const taskQueue = options.taskQueue ?? TASK_QUEUE;
  let clientConnection: Connection | null = null;
  let worker: Worker;
  try {
    let signalDeletion = options.signalDeletion ?? null;
    let signalTopUp = options.signalTopUp ?? null;
    const topUpsByClient = signalTopUp === null && !!options.paymentProviders && !!options.billingDirectory;
    if (options.deletionResignal || topUpsByClient || options.transfer) {
      clientConnection = await Connection.connect({ address: options.address });
      const client = new Client({ connection: clientConnection, namespace });
      if (topUpsByClient) signalTopUp = billingTopUpSignaller(client, options.billingDirectory!);
      if (options.deletionResignal) {
        signalDeletion ??= billingDeletionSignaller(client);
        await ensureDeletionResignalSchedule(client, { taskQueue, ...options.deletionResignal });
      }
      if (options.transfer) await ensureTransferSchedules(client, { taskQueue, ...options.transfer });
    }
    worker = await Worker.create({
      connection,
      namespace,
      taskQueue,
      ...(options.workflowBundle
        ? { workflowBundle: options.workflowBundle }
        : { workflowsPath: workflowsEntryPath() }),
      activities: createActivities({
        ...options,
        signalDeletion,
        signalTopUp,
        log: withActivityContext(options.log),
      }),
      shutdownGraceTime: '10s',
      ...options.worker,
    });
  } catch (error) {
    await connection.close();
    await clientConnection?.close();
    throw error;
  }
  const running = worker.run().finally(async () => {
    await connection.close();
    await clientConnection?.close();
  });
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
