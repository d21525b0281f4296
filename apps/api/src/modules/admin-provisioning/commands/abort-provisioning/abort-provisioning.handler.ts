import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import { provisioningWorkflowId } from '@stratus/workflows';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { vpsIdFrom } from '../../../vps/shared/vps-stream';
import { recordedRequest, requireServer } from '../../shared/operator-stream';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import type { OperatorActionResult } from '../retry-provisioning/retry-provisioning.command';
import { AbortProvisioningCommand } from './abort-provisioning.command';

/**
 * Records VpsProvisioningAbortRequested (the staff member as actor), then signals abortProvisioning: the workflow
 * runs its compensations and records the server failed. An abort is final, so the decider records it once for a
 * server still provisioning and a repeated call is only re-signalled; once failed, another abort is a 409.
 */
@CommandHandler(AbortProvisioningCommand)
export class AbortProvisioningHandler implements ICommandHandler<
  AbortProvisioningCommand,
  OperatorActionResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly workflows: TemporalWorkflows,
  ) {}

  async execute(command: AbortProvisioningCommand): Promise<OperatorActionResult> {
    const vpsId = vpsIdFrom(command.vpsId);
    // The decider refuses a server that is not provisioning or stuck (409).
    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      command: (state, metadata) => {
        requireServer(state);
        return { type: 'RequestProvisioningAbort' as const, data: { reason: command.reason }, metadata };
      },
    });
    const { organizationId } = requireServer(result.state);
    const alreadyRequested = result.events.length === 0;
    const recorded = alreadyRequested
      ? await recordedRequest(this.eventStore, vpsId, 'VpsProvisioningAbortRequested')
      : { eventId: result.events[0].id, position: result.position };
    await this.workflows.signalAbort(vpsId, organizationId, command.reason);
    return { vpsId, workflowId: provisioningWorkflowId(vpsId), alreadyRequested, ...recorded };
  }
}
