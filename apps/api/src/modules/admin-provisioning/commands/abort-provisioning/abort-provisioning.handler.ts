import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { provisioningWorkflowId } from '@stratus/workflows';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { lastIndexOf, loadServerForOperator } from '../../shared/operator-stream';
import { ProvisioningWorkflows } from '../../shared/provisioning-workflows.service';
import type { OperatorActionResult } from '../retry-provisioning/retry-provisioning.command';
import { AbortProvisioningCommand } from './abort-provisioning.command';

/**
 * Records VpsProvisioningAbortRequested (the staff member as actor), then signals abortProvisioning: the workflow
 * runs its compensations and records the server failed. An abort is final, so one already recorded for a server
 * still provisioning is only re-signalled (a repeated call is safe); once failed, another abort is a 409.
 */
@CommandHandler(AbortProvisioningCommand)
export class AbortProvisioningHandler implements ICommandHandler<
  AbortProvisioningCommand,
  OperatorActionResult
> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly workflows: ProvisioningWorkflows,
  ) {}

  async execute(command: AbortProvisioningCommand): Promise<OperatorActionResult> {
    const { vpsId, state, events } = await loadServerForOperator(this.repository, command.vpsId);
    const pending = lastIndexOf(events, 'VpsProvisioningAbortRequested');
    const alreadyRequested = pending >= 0 && (state.status === 'provisioning' || state.status === 'stuck');
    let eventId = alreadyRequested ? events[pending].id : null;
    let position = alreadyRequested ? events[pending].position : null;
    if (!alreadyRequested) {
      // The decider refuses a server that is not provisioning or stuck (409).
      const result = await this.repository.execute({
        streamId: streams.vps(vpsId),
        decider: vpsDecider,
        context: command.context,
        command: (_state, metadata) => ({
          type: 'RequestProvisioningAbort' as const,
          data: { reason: command.reason },
          metadata,
        }),
      });
      eventId = result.events[0]?.id ?? null;
      position = result.position;
    }
    await this.workflows.signalAbort(vpsId, state.organizationId, command.reason);
    return { vpsId, workflowId: provisioningWorkflowId(vpsId), alreadyRequested, eventId, position };
  }
}
