import { Injectable, Logger } from '@nestjs/common';
import {
  formatMoney,
  money,
  parseMoney,
  paymentCaptureKey,
  paymentCreditKey,
  paymentDebitChargeId,
  paymentDebitKey,
  refundableAmount,
  paymentCaptureIndexDecider,
  paymentDecider,
  streams,
  walletDecider,
  WALLET_STREAM_POLICY,
  type PaymentCaptureVia,
  type PaymentCommand,
  type PaymentProviderName,
  type PaymentState,
  type ProviderCapture,
  type SettledPaymentState,
  type WalletCharged,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId, type Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../shared/request-context/command-context';
import { ApiError } from '../../../shared/errors/api-error';
import { TemporalWorkflows } from '../../../shared/temporal/temporal-workflows.service';
import { openWallet } from '../../wallet/shared/wallet-stream';
import { PaymentProviders } from './payment-providers.service';
import { PaymentsReadModel } from './payments-read-model';

type PaymentCommandBody = PaymentCommand extends infer C
  ? C extends PaymentCommand
    ? Omit<C, 'metadata'>
    : never
  : never;
export type ExistingPayment = Exclude<PaymentState, { status: 'none' }>;

/**
 * The one path from a provider's answer to the ledger, shared by the return (capture), the webhooks and the
 * workflow: record the capture on the payment stream, then credit the wallet. Both appends carry ids derived
 * from the capture id, so any number of concurrent or repeated callers store one capture and one credit; a
 * caller that stopped between the two appends is completed by the next one (the credit follows the capture).
 */
@Injectable()
export class PaymentSettlement {
  private readonly logger = new Logger('PaymentSettlement');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly providers: PaymentProviders,
    private readonly topUps: TemporalWorkflows,
    private readonly readModel: PaymentsReadModel,
  ) {}

  async load(paymentId: string): Promise<PaymentState> {
    return (await this.executor.load(streams.payment(paymentId), paymentDecider)).state;
  }

  /**
   * The payment a provider's capture belongs to (disputes name the capture only): the capture index, written with
   * the capture, so a dispute right after it is not lost while the read model catches up; the read model for
   * captures recorded before the index existed. Null when none is known.
   */
  async paymentIdOfCapture(provider: PaymentProviderName, captureId: string): Promise<string | null> {
    const indexed = await this.executor.load(
      streams.paymentCapture(`${provider}-${captureId}`),
      paymentCaptureIndexDecider,
    );
    if (indexed.state.status === 'indexed') return indexed.state.paymentId;
    return this.readModel.paymentIdOfCapture(provider, captureId);
  }

  /** The payment of this organization, or 404 (another tenant's payment is not revealed). */
  async require(organizationId: string, paymentId: string): Promise<ExistingPayment> {
    const state = await this.load(paymentId);
    if (state.status === 'none' || state.organizationId !== organizationId) {
      throw new ApiError(404, 'payment_not_found', 'Payment not found');
    }
    return state;
  }

  run(paymentId: string, body: PaymentCommandBody, context: CommandContext, idempotencyKey?: string) {
    return this.executor.execute({
      streamId: streams.payment(paymentId),
      decider: paymentDecider,
      context,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      command: (_state, metadata) => ({ ...body, metadata }) as PaymentCommand,
    });
  }

  /** Asks the provider and applies its answer; a settled payment only makes sure its credit exists. */
  async settle(
    payment: ExistingPayment,
    via: PaymentCaptureVia,
    context: CommandContext,
  ): Promise<PaymentState> {
    if (isSettled(payment)) {
      await this.credit(payment, context);
      return payment;
    }
    const answer = await this.providers
      .get(payment.provider)
      .capture({ paymentId: payment.paymentId, providerOrderId: payment.providerOrderId });
    return this.apply(payment, answer, via, context);
  }

  /** Applies a provider's answer (from a capture call or a verified webhook). */
  async apply(
    payment: ExistingPayment,
    answer: ProviderCapture,
    via: PaymentCaptureVia,
    context: CommandContext,
  ): Promise<PaymentState> {
    switch (answer.status) {
      case 'captured': {
        // Indexed first, so a dispute that names this capture finds its payment as soon as it is recorded.
        await this.executor.execute({
          streamId: streams.paymentCapture(`${payment.provider}-${answer.captureId}`),
          decider: paymentCaptureIndexDecider,
          context,
          command: (_state, metadata) => ({
            type: 'IndexPaymentCapture' as const,
            data: { provider: payment.provider, captureId: answer.captureId, paymentId: payment.paymentId },
            metadata,
          }),
        });
        const key = paymentCaptureKey(payment.provider, answer.captureId);
        const result = await this.run(
          payment.paymentId,
          {
            type: 'RecordPaymentCapture',
            data: { captureId: answer.captureId, amount: answer.amount, currency: answer.currency, via },
          },
          context,
          key,
        );
        if (isSettled(result.state)) await this.credit(result.state, context);
        return result.state;
      }
      case 'pending': {
        if (!answer.approved || payment.status !== 'initiated') return payment;
        return (await this.run(payment.paymentId, { type: 'ApprovePayment', data: {} }, context)).state;
      }
      case 'failed':
        return (
          await this.run(payment.paymentId, { type: 'FailPayment', data: { reason: answer.reason } }, context)
        ).state;
      default: {
        const unexpected: never = answer;
        throw new Error(`Unexpected provider answer ${JSON.stringify(unexpected)}`);
      }
    }
  }

  /**
   * Takes a refund's or a dispute's amount back from the wallet: what the balance covers is charged now, the rest
   * is recorded as outstanding debt (RecordDebt), collected by the next credit; the balance never goes negative.
   * Event ids derive from the provider's refund/dispute id, so a repeat records nothing more.
   */
  async debit(
    payment: SettledPaymentState,
    settlement: {
      id: string;
      amount: bigint;
      kind: 'payment_refund' | 'payment_dispute';
      description: string;
    },
    context: CommandContext,
  ): Promise<{ walletDebited: bigint; debt: bigint }> {
    const key = paymentDebitKey(payment.provider, settlement.id);
    const chargeId = paymentDebitChargeId(payment.paymentId, settlement.id);
    const subject = { paymentId: payment.paymentId, settlementId: settlement.id, kind: settlement.kind };
    const debitId = deterministicEventId(key);
    const debit = await this.executor.execute({
      streamId: streams.wallet(payment.organizationId),
      decider: walletDecider,
      context,
      policy: WALLET_STREAM_POLICY,
      eventId: () => debitId,
      appliedIds: [debitId],
      command: (wallet, metadata) => {
        const covered =
          wallet.status === 'open' && wallet.balance > 0n ? min(wallet.balance, settlement.amount) : 0n;
        if (covered === 0n) return null;
        return {
          type: 'ChargeWallet' as const,
          data: {
            chargeId,
            amount: covered,
            description: settlement.description,
            subject,
            rejectIfInsufficient: true,
          },
          metadata,
        };
      },
    });
    const charged = debit.events.find((event) => event.type === 'WalletCharged') as WalletCharged | undefined;
    const walletDebited = charged ? money(charged.data.amount) : 0n;
    const rest = settlement.amount - walletDebited;
    if (rest > 0n) {
      const debtId = deterministicEventId(`${key}:debt`);
      await this.executor.execute({
        streamId: streams.wallet(payment.organizationId),
        decider: walletDecider,
        context,
        policy: WALLET_STREAM_POLICY,
        eventId: () => debtId,
        appliedIds: [debtId],
        command: (_wallet, metadata) => ({
          type: 'RecordDebt' as const,
          data: {
            chargeId: `${chargeId}:debt`,
            amount: rest,
            description: `${settlement.description} (not covered by the balance)`,
            subject,
          },
          metadata,
        }),
      });
    }
    return { walletDebited, debt: rest };
  }

  /**
   * A dispute (chargeback) the provider opened on a capture: the wallet gives the disputed amount back (what the
   * balance cannot cover becomes debt), then PaymentDisputed. Never more than is left of the capture; a dispute
   * already recorded records nothing.
   */
  async dispute(
    payment: ExistingPayment,
    dispute: { disputeId: string; amount: string; reason: string },
    context: CommandContext,
  ): Promise<PaymentState> {
    if (!isSettled(payment)) return payment;
    if (payment.settledIds.includes(dispute.disputeId)) return payment;
    const requested = parseMoney(dispute.amount, { field: 'dispute_amount' });
    const amount = min(requested, refundableAmount(payment));
    const { walletDebited } =
      amount > 0n
        ? await this.debit(
            payment,
            {
              id: dispute.disputeId,
              amount,
              kind: 'payment_dispute',
              description: `Dispute ${dispute.disputeId} of payment ${payment.paymentId}`,
            },
            context,
          )
        : { walletDebited: 0n };
    const recorded = await this.run(
      payment.paymentId,
      {
        type: 'RecordPaymentDispute',
        data: { disputeId: dispute.disputeId, amount, reason: dispute.reason || 'dispute', walletDebited },
      },
      context,
      paymentDebitKey(payment.provider, dispute.disputeId),
    );
    this.logger.log(
      `payment ${payment.paymentId} disputed (${formatMoney(amount)}; wallet debited ${formatMoney(walletDebited)})`,
    );
    return recorded.state;
  }

  /**
   * The wallet credit of a capture: its event id is derived from the capture id, so it exists once (a
   * reconciliation's missing_credit is resolved through here too). Returns that id and the balance after.
   */
  async credit(
    payment: SettledPaymentState,
    context: CommandContext,
  ): Promise<{ eventId: string; balance: bigint; position: Position | null }> {
    const eventId = deterministicEventId(paymentCreditKey(payment.provider, payment.captureId));
    const credit = () =>
      this.executor.execute({
        streamId: streams.wallet(payment.organizationId),
        decider: walletDecider,
        context,
        policy: WALLET_STREAM_POLICY,
        eventId: () => eventId,
        appliedIds: [eventId],
        command: (_state, metadata) => ({
          type: 'CreditWallet' as const,
          data: {
            amount: payment.captured,
            source: 'payment' as const,
            reason: `${payment.provider === 'paypal' ? 'PayPal' : 'Card'} payment ${payment.paymentId}`,
            reference: payment.captureId,
            paymentId: payment.paymentId,
          },
          metadata,
        }),
      });
    let result;
    try {
      result = await credit();
    } catch (error) {
      if (!(error instanceof Error && 'reason' in error && error.reason === 'wallet_not_found')) throw error;
      await openWallet(this.executor, payment.organizationId, context);
      result = await credit();
    }
    if (!result.alreadyApplied) this.logger.log(`payment ${payment.paymentId} credited to the wallet`);
    // A payment that covers the debt resumes suspended servers (best effort; harmless when repeated).
    await this.topUps.walletToppedUp(payment.organizationId);
    const wallet = result.state;
    return { eventId, balance: wallet.status === 'open' ? wallet.balance : 0n, position: result.position };
  }
}

export function isSettled(state: PaymentState): state is SettledPaymentState {
  return state.status === 'captured' || state.status === 'refunded' || state.status === 'disputed';
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
