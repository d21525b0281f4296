import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  billingFactsOf,
  firstHourStartOf,
  money,
  streams,
  vpsChargeId,
  vpsDecider,
  type VpsEvent,
  type VpsFirstHourRefunded,
} from '@stratus/domain';
import { CommandExecutor, type EventStore } from '@stratus/eventstore';
import { recordedCharge, refundRecordedFirstHour } from '@stratus/infra';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOCK, EVENT_STORE, type Clock } from '../../../../shared/event-sourcing/tokens';
import { loadServerForOperator } from '../../shared/operator-stream';
import { RefundFirstHourCommand, type RefundFirstHourResult } from './refund-first-hour.command';

/** One staff refund per server: its VpsFirstHourRefunded's id derives from this key. */
export const staffFirstHourRefundKey = (vpsId: string) => `vps-first-hour-refund:${vpsId}`;

/**
 * 1. refuse (409/400) what the decider refuses (not failed, no reason), a first hour never charged, or one
 * already refunded (by the workflow's compensation or a termination); 2. record VpsFirstHourRefunded with the
 * staff actor (once: its idempotency key); 3. refund the recorded charge through the one compensation
 * (refundRecordedFirstHour: one refund id per charge). A repeated call completes a half-done one and refunds
 * nothing twice.
 */
@CommandHandler(RefundFirstHourCommand)
export class RefundFirstHourHandler implements ICommandHandler<
  RefundFirstHourCommand,
  RefundFirstHourResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RefundFirstHourCommand): Promise<RefundFirstHourResult> {
    const { vpsId, state, events } = await loadServerForOperator(this.executor, command.vpsId);
    const recorded = events.find((e) => e.type === 'VpsFirstHourRefunded');
    const chargeId = recorded
      ? (recorded.data as VpsFirstHourRefunded['data']).chargeId
      : this.firstHourChargeId(vpsId, events);
    const charge = await recordedCharge(this.eventStore, state.organizationId, chargeId);
    const reason = command.reason;
    if (!recorded) {
      // The decider's 409 (not failed) or 400 (reason) before anything is done.
      vpsDecider.decide(
        {
          type: 'RefundFirstHour',
          data: { chargeId, amount: charge?.amount ?? state.hourlyPrice, reason },
          metadata: {
            now: this.clock.now().toISOString(),
            actor: { userId: command.context.actor.userId, role: command.context.actor.role },
          },
        },
        state,
      );
      if (charge === null) {
        throw new ApiError(409, 'first_hour_not_charged', 'The first hour of this server was never charged', {
          vpsId,
          chargeId,
        });
      }
      if (charge.refunded) {
        throw new ApiError(
          409,
          'first_hour_already_refunded',
          'The first hour of this server was refunded already (by its compensation or a termination)',
          { vpsId, chargeId },
        );
      }
    }
    if (charge === null) throw new Error(`recorded refund of ${vpsId} has no charge ${chargeId}`);

    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      idempotencyKey: staffFirstHourRefundKey(vpsId),
      command: (_state, metadata) => ({
        type: 'RefundFirstHour' as const,
        data: { chargeId, amount: charge.amount, reason },
        metadata,
      }),
    });
    const event = result.events[0];
    if (!event) throw new Error(`no VpsFirstHourRefunded recorded for ${vpsId}`);
    const data = event.data as VpsFirstHourRefunded['data'];
    const { refundedNow } = await refundRecordedFirstHour(this.executor, this.eventStore, {
      organizationId: state.organizationId,
      chargeId,
      reason: `first hour refunded by staff: ${data.reason}`,
      context: command.context,
    });
    return {
      vpsId,
      chargeId,
      amount: money(data.amount),
      refundedNow: refundedNow ? charge.amount : 0n,
      eventId: event.id,
      position: result.position,
      replayed: result.alreadyApplied,
    };
  }

  /** The first hour's charge id, by the one rule (firstHourStartOf: the recorded charge's, else the request's). */
  private firstHourChargeId(
    vpsId: string,
    events: { type: string; data: unknown; metadata: { occurredAt: string } }[],
  ) {
    const facts = billingFactsOf(
      events.map((e) => ({
        event: { type: e.type, data: e.data } as VpsEvent,
        occurredAt: e.metadata.occurredAt,
      })),
    );
    const start = firstHourStartOf(facts);
    if (start === null) throw new Error(`no VpsRequested in the stream of ${vpsId}`);
    return vpsChargeId(vpsId, new Date(start).toISOString());
  }
}
