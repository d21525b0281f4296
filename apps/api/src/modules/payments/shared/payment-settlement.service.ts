import { Injectable, Logger } from '@nestjs/common';
import type { PaymentProviderName } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { PaymentProviders, PaymentSettlement, type ExistingPayment } from '@stratus/infra';
import { ApiError } from '../../../shared/errors/api-error';
import { TemporalWorkflows } from '../../../shared/temporal/temporal-workflows.service';
import { PaymentsReadModel } from './payments-read-model';

export { isSettled, type ExistingPayment } from '@stratus/infra';

/**
 * The API's PaymentSettlement (the one in @stratus/infra, shared with the payment workflow's activities): its
 * credits notify billing workflows through TemporalWorkflows, and it answers 404 for another tenant's payment.
 */
@Injectable()
export class PaymentSettlementService extends PaymentSettlement {
  constructor(
    executor: CommandExecutor,
    providers: PaymentProviders,
    topUps: TemporalWorkflows,
    private readonly readModel: PaymentsReadModel,
  ) {
    const logger = new Logger('PaymentSettlement');
    super({
      executor,
      providers,
      walletToppedUp: (organizationId) => topUps.walletToppedUp(organizationId),
      log: {
        info: (message, fields) => logger.log(`${message} ${JSON.stringify(fields ?? {})}`),
        warn: (message, fields) => logger.warn(`${message} ${JSON.stringify(fields ?? {})}`),
      },
    });
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
