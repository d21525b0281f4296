import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  money,
  streams,
  vpsChargeIdPrefix,
  vpsDecider,
  type CloudProvider,
  type VpsProvisioningTerminated,
  type WalletCharged,
  type WalletChargeRefunded,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId, type EventStore } from '@stratus/eventstore';
import { liveInstancesOf, refundFirstHour } from '@stratus/infra';
import { provisioningWorkflowId } from '@stratus/workflows';
import { CLOCK, EVENT_STORE, type Clock } from '../../../../shared/event-sourcing/tokens';
import { CLOUD_PROVIDER } from '../../../../shared/provider/cloud-provider.module';
import { mapProviderError } from '../../../vps/shared/provider-errors';
import { loadServerForOperator, type OperatorView } from '../../shared/operator-stream';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import {
  TerminateProvisioningCommand,
  type TerminateProvisioningResult,
} from './terminate-provisioning.command';

export const terminatedEventId = (vpsId: string) =>
  deterministicEventId(`vps-provisioning-terminated:${vpsId}`);

/**
 * 1. refuse (409) what the decider would refuse, before any effect; 2. terminate the workflow (no compensation
 * runs in it); 3. refund the first hour if it was charged and not yet refunded; 4. look for instances still
 * tagged with the server at the provider; 5. record VpsProvisioningTerminated with all of that and the staff
 * actor. Every step is idempotent, so a call that failed half-way (503) is simply repeated; once recorded, a
 * repeated call answers with the recorded outcome.
 */
@CommandHandler(TerminateProvisioningCommand)
export class TerminateProvisioningHandler implements ICommandHandler<
  TerminateProvisioningCommand,
  TerminateProvisioningResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workflows: TemporalWorkflows,
  ) {}

  async execute(command: TerminateProvisioningCommand): Promise<TerminateProvisioningResult> {
    const view = await loadServerForOperator(this.executor, command.vpsId);
    const { vpsId, state } = view;
    const workflowId = provisioningWorkflowId(vpsId);
    const recorded = view.events.find((e) => e.type === 'VpsProvisioningTerminated');
    if (recorded) {
      const data = recorded.data as VpsProvisioningTerminated['data'];
      return {
        vpsId,
        workflowId,
        workflowTerminated: false,
        refunded: data.refunded,
        refundedNow: 0n,
        instancesLeft: data.instancesLeft,
        eventId: recorded.id,
        position: recorded.position,
        replayed: true,
      };
    }
    // Throws the decider's 409 (active, failed, deleted...) or 400 (reason) before anything is done.
    vpsDecider.decide(
      {
        type: 'TerminateProvisioning',
        data: { reason: command.reason, refunded: false, instancesLeft: [] },
        metadata: {
          now: this.clock.now().toISOString(),
          actor: { userId: command.context.actor.userId, role: command.context.actor.role },
        },
      },
      state,
    );

    const workflowTerminated = await this.workflows.terminateProvisioning(
      vpsId,
      `terminated by staff: ${command.reason}`,
    );
    const refund = await this.refundFirstHour(view, command);
    const instancesLeft = await this.instancesLeft(vpsId);

    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      eventId: () => terminatedEventId(vpsId),
      command: (_state, metadata) => ({
        type: 'TerminateProvisioning' as const,
        data: { reason: command.reason, refunded: refund.refunded, instancesLeft },
        metadata,
      }),
    });
    return {
      vpsId,
      workflowId,
      workflowTerminated,
      refunded: refund.refunded,
      refundedNow: refund.refundedNow,
      instancesLeft,
      eventId: result.events[0]?.id ?? terminatedEventId(vpsId),
      position: result.position,
      replayed: result.alreadyApplied,
    };
  }

  /**
   * The first hour as the wallet knows it (the workflow may have charged it and been terminated before it
   * recorded VpsFirstHourCharged): every charge of this server before activation is its first hour.
   */
  private async refundFirstHour(
    view: OperatorView,
    command: TerminateProvisioningCommand,
  ): Promise<{ refunded: boolean; refundedNow: bigint }> {
    const { vpsId, state } = view;
    const walletStream = streams.wallet(state.organizationId);
    const walletEvents = await this.eventStore.readStream(walletStream);
    const isThisServer = (chargeId: string) =>
      chargeId === state.chargeIds.firstHour || chargeId.startsWith(vpsChargeIdPrefix(vpsId));
    const charges = walletEvents
      .filter((e) => e.type === 'WalletCharged')
      .map((e) => e.data as WalletCharged['data'])
      .filter((charge) => isThisServer(charge.chargeId));
    const refundedIds = new Set(
      walletEvents
        .filter((e) => e.type === 'WalletChargeRefunded')
        .map((e) => (e.data as WalletChargeRefunded['data']).chargeId),
    );
    let refundedNow = 0n;
    for (const charge of charges) {
      if (refundedIds.has(charge.chargeId)) continue;
      const amount = money(charge.amount);
      const { refundedNow: now } = await refundFirstHour(this.executor, {
        organizationId: state.organizationId,
        chargeId: charge.chargeId,
        amount,
        reason: `provisioning terminated by staff: ${command.reason}`,
        context: command.context,
      });
      // A concurrent call (or the workflow) stored the same refund first: it is refunded, once.
      if (now) refundedNow += amount;
    }
    return { refunded: charges.length > 0, refundedNow };
  }

  private async instancesLeft(vpsId: string): Promise<string[]> {
    try {
      return (await liveInstancesOf(this.provider, vpsId)).map((i) => i.id);
    } catch (error) {
      throw mapProviderError(error, 'list the instances of');
    }
  }
}
