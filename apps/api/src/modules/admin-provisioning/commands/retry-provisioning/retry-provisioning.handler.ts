import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import { provisioningWorkflowId } from '@stratus/workflows';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { vpsIdFrom } from '../../../vps/shared/vps-stream';
import { recordedRequest, requireServer } from '../../shared/operator-stream';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { RetryProvisioningCommand, type OperatorActionResult } from './retry-provisioning.command';

/**
 * Records VpsProvisioningRetryRequested (the staff member as actor), then signals the workflow. The decider
 * records a retry once per time the server became stuck, so a call repeated after a 503 is only re-signalled;
 * once the workflow has retried, the server is no longer stuck and another retry is a 409.
 */
@CommandHandler(RetryProvisioningCommand)
export class RetryProvisioningHandler implements ICommandHandler<
  RetryProvisioningCommand,
  OperatorActionResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly workflows: TemporalWorkflows,
  ) {}

  async execute(command: RetryProvisioningCommand): Promise<OperatorActionResult> {
    const vpsId = vpsIdFrom(command.vpsId);
    // The decider refuses anything but a stuck server (409 vps_not_stuck).
    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      command: (state, metadata) => {
        requireServer(state);
        return { type: 'RequestProvisioningRetry' as const, data: { reason: command.reason }, metadata };
      },
    });
    const alreadyRequested = result.events.length === 0;
    const recorded = alreadyRequested
      ? await recordedRequest(this.eventStore, vpsId, 'VpsProvisioningRetryRequested')
      : { eventId: result.events[0].id, position: result.position };
    await this.workflows.signalRetry(vpsId);
    return { vpsId, workflowId: provisioningWorkflowId(vpsId), alreadyRequested, ...recorded };
  }
}
