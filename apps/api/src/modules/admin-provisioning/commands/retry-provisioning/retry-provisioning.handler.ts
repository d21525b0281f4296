import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { provisioningWorkflowId } from '@stratus/workflows';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { lastIndexOf, loadServerForOperator } from '../../shared/operator-stream';
import { ProvisioningWorkflows } from '../../shared/provisioning-workflows.service';
import { RetryProvisioningCommand, type OperatorActionResult } from './retry-provisioning.command';

/**
 * Records VpsProvisioningRetryRequested (the staff member as actor), then signals the workflow. A retry already
 * requested since the server became stuck is not recorded again, only re-signalled, so a call repeated after a
 * 503 is safe; once the workflow has retried, the server is no longer stuck and another retry is a 409.
 */
@CommandHandler(RetryProvisioningCommand)
export class RetryProvisioningHandler implements ICommandHandler<
  RetryProvisioningCommand,
  OperatorActionResult
> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly workflows: ProvisioningWorkflows,
  ) {}

  async execute(command: RetryProvisioningCommand): Promise<OperatorActionResult> {
    const { vpsId, state, events } = await loadServerForOperator(this.repository, command.vpsId);
    const pending = lastIndexOf(events, 'VpsProvisioningRetryRequested');
    const alreadyRequested =
      state.status === 'stuck' && pending > lastIndexOf(events, 'VpsProvisioningStuck');
    let eventId = alreadyRequested ? events[pending].id : null;
    let position = alreadyRequested ? events[pending].position : null;
    if (!alreadyRequested) {
      // The decider refuses anything but a stuck server (409 vps_not_stuck).
      const result = await this.repository.execute({
        streamId: streams.vps(vpsId),
        decider: vpsDecider,
        context: command.context,
        command: (_state, metadata) => ({
          type: 'RequestProvisioningRetry' as const,
          data: { reason: command.reason },
          metadata,
        }),
      });
      eventId = result.events[0]?.id ?? null;
      position = result.position;
    }
    await this.workflows.signalRetry(vpsId);
    return { vpsId, workflowId: provisioningWorkflowId(vpsId), alreadyRequested, eventId, position };
  }
}
