import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  reconciliationDecider,
  streams,
  STRATUS_ID_NAMESPACE,
  type ReconciliationWindow,
} from '@stratus/domain';
import { CommandExecutor, type EventStore, type Position } from '@stratus/eventstore';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { VPS_SETTINGS, type VpsSettings } from '../../../../shared/config/vps-settings';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { RunReconciliationCommand, type RunReconciliationResult } from './run-reconciliation.command';

/** Same key ⇒ same run id, so a retried request finds the run it already stored. */
export function reconciliationIdFor(idempotencyKey: string): string {
  return uuidv5(`billing-reconciliation:${idempotencyKey}`, STRATUS_ID_NAMESPACE);
}

@CommandHandler(RunReconciliationCommand)
export class RunReconciliationHandler implements ICommandHandler<
  RunReconciliationCommand,
  RunReconciliationResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly organizations: OrganizationAccess,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(VPS_SETTINGS) private readonly settings: Pick<VpsSettings, 'billingPeriodSeconds'>,
    private readonly workflows: TemporalWorkflows,
  ) {}

  /** Records the run requested and starts its workflow; the replay runs in the background. */
  async execute(command: RunReconciliationCommand): Promise<RunReconciliationResult> {
    const { from, to, organizationId, idempotencyKey, context } = command;
    if (organizationId !== null) {
      const organization = await this.organizations.load(organizationId);
      if (organization.status === 'none') {
        throw new ApiError(404, 'organization_not_found', 'Organization not found');
      }
    }
    const reconciliationId = idempotencyKey ? reconciliationIdFor(idempotencyKey) : uuidv4();
    const streamId = streams.reconciliation(reconciliationId);

    if (idempotencyKey) {
      const stored = await this.storedRun(streamId);
      if (stored) return this.replayedRun(stored, command);
    }

    const window: ReconciliationWindow = {
      reconciliationId,
      from,
      to,
      organizationId,
      periodSeconds: this.settings.billingPeriodSeconds,
    };
    let position: Position | null;
    try {
      const result = await this.executor.execute({
        streamId,
        decider: reconciliationDecider,
        context,
        expectNoStream: true,
        command: (_state, metadata) => ({ type: 'RequestReconciliation' as const, data: window, metadata }),
      });
      position = result.position;
    } catch (error) {
      // Two requests with one key raced: the other recorded the run first.
      const stored = idempotencyKey ? await this.storedRun(streamId) : null;
      if (stored) return this.replayedRun(stored, command);
      throw error;
    }
    await this.workflows.startBillingReconciliation(reconciliationId);
    return { run: window, position, replayed: false };
  }

  private async storedRun(streamId: string) {
    const [first] = await this.eventStore.readStream(streamId, { maxCount: 1 });
    return first?.type === 'BillingReconciliationRequested' ||
      first?.type === 'BillingReconciliationCompleted'
      ? first
      : null;
  }

  private async replayedRun(
    stored: NonNullable<Awaited<ReturnType<RunReconciliationHandler['storedRun']>>>,
    command: RunReconciliationCommand,
  ): Promise<RunReconciliationResult> {
    const { reconciliationId, from, to, organizationId, periodSeconds } = stored.data as ReconciliationWindow;
    if (from !== command.from || to !== command.to || organizationId !== command.organizationId) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different reconciliation',
        { header: 'Idempotency-Key', reconciliationId },
      );
    }
    // The first request may have recorded the run and then failed to start it.
    if (stored.type === 'BillingReconciliationRequested')
      await this.workflows.startBillingReconciliation(reconciliationId);
    return {
      run: { reconciliationId, from, to, organizationId, periodSeconds },
      position: stored.position,
      replayed: true,
    };
  }
}
