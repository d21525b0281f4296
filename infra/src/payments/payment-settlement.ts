import {
  formatMoney,
  money,
  organizationPaymentListedKey,
  organizationPaymentsDecider,
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
  type InitiatePayment,
  type PaymentCaptureVia,
  type PaymentCommand,
  type PaymentProvider,
  type PaymentProviderName,
  type PaymentState,
  type ProviderCapture,
  type SettledPaymentState,
  type WalletCharged,
} from '@stratus/domain';
import {
  deterministicEventId,
  type CommandContext,
  type CommandExecutor,
  type Position,
} from '@stratus/eventstore';
import type { FieldLogger } from '../logging';
import { openWallet } from '../wallet/wallet-stream';

export type PaymentCommandBody = PaymentCommand extends infer C
  ? C extends PaymentCommand
    ? Omit<C, 'metadata'>
    : never
  : never;
export type ExistingPayment = Exclude<PaymentState, { status: 'none' }>;

/** Asks a provider about a payment (PaymentProviders fits). */
export interface PaymentProviderLookup {
  get(name: PaymentProviderName): PaymentProvider;
}

export interface PaymentSettlementDependencies {
  executor: CommandExecutor;
  providers: PaymentProviderLookup;
  /**
   * Money entered the organization's wallet: tell its billing workflows (a suspended server resumes). Best effort:
   * a failure is logged, the credit stands (billing re-checks at its next period anyway).
   */
  walletToppedUp?: (organizationId: string) => Promise<unknown>;
  log?: Pick<FieldLogger, 'info' | 'warn'>;
}

/**
 * The one path from a provider's answer to the ledger, shared by the API (the return, the webhooks, staff refunds,
 * reconciliation) and the workers (the payment workflow's polls and expiry): record the capture on the payment
 * stream, then credit the wallet. Both appends carry ids derived from the capture id, so any number of concurrent
 * or repeated callers, in any process, store one capture and one credit; a caller that stopped between the two
 * appends is completed by the next one (the credit follows the capture).
 */
export class PaymentSettlement {
  private readonly executor: CommandExecutor;
  private readonly providers: PaymentProviderLookup;

  constructor(private readonly deps: PaymentSettlementDependencies) {
    this.executor = deps.executor;
    this.providers = deps.providers;
  }

  async load(paymentId: string): Promise<PaymentState> {
    return (await this.executor.load(streams.payment(paymentId), paymentDecider)).state;
  }

  /**
   * The payment a provider's capture belongs to (disputes name the capture only), from the capture index written
   * with the capture, so a dispute right after it is not lost while a read model catches up. Null when unindexed.
   */
  async indexedPaymentOfCapture(provider: PaymentProviderName, captureId: string): Promise<string | null> {
    const indexed = await this.executor.load(
      streams.paymentCapture(`${provider}-${captureId}`),
      paymentCaptureIndexDecider,
    );
    return indexed.state.status === 'indexed' ? indexed.state.paymentId : null;
  }

  /**
   * Records a new payment: first listed among its organization's payments (`organizationpayments-<id>`, where the
   * reconciliation finds every payment, credited or not), then PaymentInitiated. A repeat records nothing more.
   */
  async initiate(data: InitiatePayment['data'], context: CommandContext, idempotencyKey: string) {
    const listedId = deterministicEventId(organizationPaymentListedKey(data.paymentId));
    await this.executor.execute({
      streamId: streams.organizationPayments(data.organizationId),
      decider: organizationPaymentsDecider,
      context,
      eventId: () => listedId,
      appliedIds: [listedId],
      command: (_state, metadata) => ({
        type: 'ListOrganizationPayment' as const,
        data: { organizationId: data.organizationId, paymentId: data.paymentId },
        metadata,
      }),
    });
    return this.run(data.paymentId, { type: 'InitiatePayment', data }, context, idempotencyKey);
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
    this.deps.log?.info('payments: payment disputed', {
      paymentId: payment.paymentId,
      amount: formatMoney(amount),
      walletDebited: formatMoney(walletDebited),
    });
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
    if (!result.alreadyApplied)
      this.deps.log?.info('payments: payment credited to the wallet', {
        paymentId: payment.paymentId,
        amount: formatMoney(payment.captured),
      });
    // A payment that covers the debt resumes suspended servers (best effort; harmless when repeated).
    await this.deps.walletToppedUp?.(payment.organizationId).catch((error: unknown) =>
      this.deps.log?.warn('payments: top-up notification failed', {
        organizationId: payment.organizationId,
        error: String(error),
      }),
    );
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
