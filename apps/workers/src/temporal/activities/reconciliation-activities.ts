import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  addReconciliationSummaries,
  emptyReconciliationSummary,
  reconciliationDecider,
  replayOrganizations,
  streams,
  type ReconciliationCommand,
  type ReconciliationEvent,
  type ReconciliationLine,
  type ReconciliationState,
  type ReconciliationSummary,
} from '@stratus/domain';
import type { CommandExecutor } from '@stratus/eventstore';
import { ACTIVITY_FAILURE_TYPES, type ReconciliationActivities } from '@stratus/workflows';
import { activityContext, type ActivityDependencies } from './activity-support';

/** A progress event every this many organizations, or sooner once this many lines are waiting. */
export const PROGRESS_EVERY_ORGANIZATIONS = 100;
export const PROGRESS_EVERY_LINES = 1000;

/** What the replay heartbeats: the last organization whose lines are recorded (a retry resumes after it). */
export interface ReconciliationHeartbeat {
  throughOrganizationId: string | null;
  organizations: number;
  eventsRead: number;
}

interface Batch {
  organizations: number;
  eventsRead: number;
  summary: ReconciliationSummary;
  lines: ReconciliationLine[];
}

const emptyBatch = (): Batch => ({
  organizations: 0,
  eventsRead: 0,
  summary: emptyReconciliationSummary(),
  lines: [],
});

const heartbeatDetails = (): ReconciliationHeartbeat | null => {
  try {
    return (Context.current().info.heartbeatDetails as ReconciliationHeartbeat | undefined) ?? null;
  } catch {
    return null; // outside an activity (tests calling the function directly)
  }
};

const heartbeat = (details: ReconciliationHeartbeat) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // outside an activity
  }
};

/**
 * The billing reconciliation job. Organizations are replayed one at a time from their own streams (wallet,
 * servers and payments: replayOrganizationBilling), in id order; every PROGRESS_EVERY_ORGANIZATIONS organizations (or
 * PROGRESS_EVERY_LINES lines) the batch is recorded as one progress event whose id derives from the run and
 * the batch's last organization, so a retried attempt that redoes a batch records it once.
 */
export function createReconciliationActivities(
  deps: ActivityDependencies,
  executor: CommandExecutor,
): ReconciliationActivities {
  const { eventStore, log } = deps;
  const directory = deps.billingDirectory ?? null;

  const record = (
    reconciliationId: string,
    key: string,
    build: (state: ReconciliationState) => Omit<ReconciliationCommand, 'metadata'> | null,
  ) =>
    executor.execute<ReconciliationState, ReconciliationCommand, ReconciliationEvent>({
      streamId: streams.reconciliation(reconciliationId),
      decider: reconciliationDecider,
      context: activityContext(),
      idempotencyKey: `reconciliation:${reconciliationId}:${key}`,
      command: (state, metadata) => {
        const command = build(state);
        return command ? ({ ...command, metadata } as ReconciliationCommand) : null;
      },
    });

  return {
    async runBillingReconciliation({ reconciliationId }) {
      const loaded = await executor.load(streams.reconciliation(reconciliationId), reconciliationDecider);
      const state = loaded.state;
      if (state.status === 'none') {
        throw ApplicationFailure.create({
          message: `no reconciliation ${reconciliationId} was requested`,
          type: ACTIVITY_FAILURE_TYPES.notFound,
          nonRetryable: true,
        });
      }
      if (state.status === 'failed') {
        throw ApplicationFailure.create({
          message: `reconciliation ${reconciliationId} has failed: ${state.reason}`,
          type: ACTIVITY_FAILURE_TYPES.domainRejected,
          nonRetryable: true,
        });
      }
      if (state.status === 'completed') {
        const { organizations, eventsRead } = state.progress;
        return { organizations, eventsRead, lines: state.lines.size };
      }
      // Resume after what is recorded; the heartbeat names no more than that (it is sent once recorded).
      const recorded = state.progress;
      const beat = heartbeatDetails();
      let through = recorded.throughOrganizationId;
      if (beat?.throughOrganizationId && (through === null || beat.throughOrganizationId > through)) {
        through = beat.throughOrganizationId;
      }
      const totals = { organizations: recorded.organizations, eventsRead: recorded.eventsRead };
      const { window } = state;
      let batch = emptyBatch();
      let lastOrganization: string | null = null;

      const flush = async () => {
        if (batch.organizations === 0 || lastOrganization === null) return;
        const data = { ...batch, throughOrganizationId: lastOrganization };
        await record(reconciliationId, `through:${lastOrganization}`, (current) =>
          current.status === 'running' &&
          (current.progress.throughOrganizationId === null ||
            current.progress.throughOrganizationId < lastOrganization!)
            ? { type: 'RecordReconciliationProgress', data }
            : null,
        );
        through = lastOrganization;
        batch = emptyBatch();
        heartbeat({ throughOrganizationId: through, ...totals });
      };

      if (!directory && window.organizationId === null) {
        throw ApplicationFailure.create({
          message: 'a reconciliation of every organization needs the billing directory (read models)',
          type: ACTIVITY_FAILURE_TYPES.domainRejected,
          nonRetryable: true,
        });
      }
      for await (const { organizationId, report } of replayOrganizations(
        eventStore,
        directory,
        window,
        through,
      )) {
        batch.organizations += 1;
        batch.eventsRead += report.eventsRead;
        batch.summary = addReconciliationSummaries(batch.summary, report.summary);
        batch.lines.push(...report.lines);
        totals.organizations += 1;
        totals.eventsRead += report.eventsRead;
        lastOrganization = organizationId;
        if (
          batch.organizations >= PROGRESS_EVERY_ORGANIZATIONS ||
          batch.lines.length >= PROGRESS_EVERY_LINES
        ) {
          await flush();
        } else {
          heartbeat({ throughOrganizationId: through, ...totals });
        }
      }
      await flush();
      const finished = await record(reconciliationId, 'finished', (current) =>
        current.status === 'running' ? { type: 'FinishReconciliation', data: {} } : null,
      );
      const final = finished.state.status === 'completed' ? finished.state : null;
      const result = {
        organizations: final?.progress.organizations ?? totals.organizations,
        eventsRead: final?.progress.eventsRead ?? totals.eventsRead,
        lines: final?.lines.size ?? 0,
      };
      log.info('activities: billing reconciliation finished', { reconciliationId, ...result });
      return result;
    },

    async failBillingReconciliation({ reconciliationId, reason }) {
      await record(reconciliationId, 'failed', (state) =>
        state.status === 'running' ? { type: 'FailReconciliation', data: { reason } } : null,
      );
    },
  };
}
