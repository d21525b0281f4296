import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parsePaymentAmount, STRATUS_ID_NAMESPACE, type PaymentState } from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../../../../shared/config/payment-settings';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { paymentDto } from '../../shared/payment.dto';
import { PaymentProviders } from '@stratus/infra';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import { PaymentsReadModel } from '../../shared/payments-read-model';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { CreatePaymentCommand, type CreatePaymentResult } from './create-payment.command';

/** Same organization + same Idempotency-Key ⇒ same payment id (and the same provider order, by its request id). */
export function paymentIdFor(organizationId: string, idempotencyKey: string): string {
  return uuidv5(`payment:${organizationId}:${idempotencyKey}`, STRATUS_ID_NAMESPACE);
}

@CommandHandler(CreatePaymentCommand)
export class CreatePaymentHandler implements ICommandHandler<CreatePaymentCommand, CreatePaymentResult> {
  constructor(
    private readonly organizations: OrganizationAccess,
    private readonly providers: PaymentProviders,
    private readonly settlement: PaymentSettlementService,
    private readonly payments: PaymentsReadModel,
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly temporal: TemporalWorkflows,
  ) {}

  async execute(command: CreatePaymentCommand): Promise<CreatePaymentResult> {
    const { organizationId, context } = command;
    const organization = await this.organizations.load(organizationId);
    if (organization.status !== 'active')
      throw new ApiError(404, 'organization_not_found', 'Organization not found');
    const paymentId = paymentIdFor(organizationId, command.idempotencyKey);
    const existing = await this.settlement.load(paymentId);
    if (existing.status !== 'none') return this.replay(existing, command);

    // Checked before the provider is asked (again by the decider when recording).
    const initiatedToday = await this.payments.initiatedToday(organizationId, this.clock.now());
    const amount = parsePaymentAmount(command.amount, this.settings.limits, initiatedToday);
    const pages = `${this.settings.portalUrl}/billing/payments/${paymentId}`;
    const order = await this.providers.get(command.provider).createOrder({
      paymentId,
      amount,
      returnUrl: `${pages}/return`,
      cancelUrl: `${pages}/cancelled`,
    });
    const result = await this.settlement.initiate(
      {
        paymentId,
        organizationId,
        provider: command.provider,
        amount: command.amount,
        limits: this.settings.limits,
        initiatedToday,
        providerOrderId: order.providerOrderId,
        redirectUrl: order.redirectUrl,
      },
      context,
      `payment-initiate:${paymentId}`,
    );
    if (result.state.status === 'none') throw new Error(`payment ${paymentId} was not recorded`);
    // Its workflow polls the provider if the customer never returns (and no webhook comes), and expires it if
    // abandoned. Deterministic id: a retried create starts it once.
    await this.temporal.startPayment({ paymentId, ...this.settings.workflow });
    return { payment: paymentDto(result.state), replayed: result.alreadyApplied };
  }

  private async replay(existing: Exclude<PaymentState, { status: 'none' }>, command: CreatePaymentCommand) {
    let sameAmount = false;
    try {
      sameAmount =
        parsePaymentAmount(command.amount, { min: 0n, max: existing.amount, daily: existing.amount }) ===
        existing.amount;
    } catch {
      sameAmount = false;
    }
    if (
      existing.organizationId !== command.organizationId ||
      existing.provider !== command.provider ||
      !sameAmount
    ) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different payment',
        { header: 'Idempotency-Key' },
      );
    }
    // A create answered 503 because the workflow could not be started is retried: start it now (once).
    if (existing.status === 'initiated' || existing.status === 'approved')
      await this.temporal.startPayment({ paymentId: existing.paymentId, ...this.settings.workflow });
    return { payment: paymentDto(existing), replayed: true };
  }
}
