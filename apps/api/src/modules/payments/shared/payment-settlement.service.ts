import { Injectable, Logger } from '@nestjs/common';
import type { PaymentCaptureVia, PaymentProviderName, PaymentState, ProviderCapture } from '@stratus/domain';
import { CommandExecutor, type CommandContext } from '@stratus/eventstore';
import { PaymentProviders, PaymentSettlement, type ExistingPayment } from '@stratus/infra';
import { ApiError } from '../../../shared/errors/api-error';
import { TemporalWorkflows } from '../../../shared/temporal/temporal-workflows.service';
import { PaymentsReadModel } from './payments-read-model';

export { isSettled, type ExistingPayment } from '@stratus/infra';

/**
 * The API's PaymentSettlement (the one in @stratus/infra, shared with the payment workflow's activities): its
 * credits notify billing workflows and the answers it applies wake the payment's workflow, through
 * TemporalWorkflows; it answers 404 for another tenant's payment.
 */
@Injectable()
export class PaymentSettlementService extends PaymentSettlement {
  constructor(
    executor: CommandExecutor,
    providers: PaymentProviders,
    private readonly temporal: TemporalWorkflows,
    private readonly readModel: PaymentsReadModel,
  ) {
    const logger = new Logger('PaymentSettlement');
    super({
      executor,
      providers,
      walletToppedUp: (organizationId) => temporal.walletToppedUp(organizationId),
      log: {
        info: (message, fields) => logger.log(`${message} ${JSON.stringify(fields ?? {})}`),
        warn: (message, fields) => logger.warn(`${message} ${JSON.stringify(fields ?? {})}`),
      },
    });
  }

  /** Applies the answer (the return's or a webhook's); a payment it moved gets its workflow's attention now. */
  override async apply(
    payment: ExistingPayment,
    answer: ProviderCapture,
    via: PaymentCaptureVia,
    context: CommandContext,
  ): Promise<PaymentState> {
    const state = await super.apply(payment, answer, via, context);
    if (state.status !== payment.status) await this.temporal.paymentChanged(payment.paymentId);
    return state;
  }

  /**
   * The payment a provider's capture belongs to: the capture index, else the read model (captures recorded before
   * the index existed). Null when none is known.
   */
  async paymentIdOfCapture(provider: PaymentProviderName, captureId: string): Promise<string | null> {
    return (
      (await this.indexedPaymentOfCapture(provider, captureId)) ??
      this.readModel.paymentIdOfCapture(provider, captureId)
    );
  }

  /** The payment of this organization, or 404 (another tenant's payment is not revealed). */
  async require(organizationId: string, paymentId: string): Promise<ExistingPayment> {
    const state = await this.load(paymentId);
    if (state.status === 'none' || state.organizationId !== organizationId) {
      throw new ApiError(404, 'payment_not_found', 'Payment not found');
    }
    return state;
  }
}
