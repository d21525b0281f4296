import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  money,
  streams,
  walletChargedEventKey,
  walletDecider,
  type WalletCredited,
  STRATUS_ID_NAMESPACE,
  WALLET_STREAM_POLICY,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId } from '@stratus/eventstore';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { openWallet } from '@stratus/infra';
import { CreditWalletCommand, type CreditWalletResult } from './credit-wallet.command';

/** Same organization + same key ⇒ same event id, so the store acknowledges a retry instead of storing it twice. */
export function creditEventId(organizationId: string, idempotencyKey: string): string {
  return uuidv5(`wallet-credit:${organizationId}:${idempotencyKey}`, STRATUS_ID_NAMESPACE);
}

@CommandHandler(CreditWalletCommand)
export class CreditWalletHandler implements ICommandHandler<CreditWalletCommand, CreditWalletResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly organizations: OrganizationAccess,
    private readonly topUps: TemporalWorkflows,
  ) {}

  async execute(command: CreditWalletCommand): Promise<CreditWalletResult> {
    const { organizationId, idempotencyKey, context } = command;
    const organization = await this.organizations.load(organizationId);
    if (organization.status !== 'active')
      throw new ApiError(404, 'organization_not_found', 'Organization not found');
    const eventId = idempotencyKey ? creditEventId(organizationId, idempotencyKey) : undefined;

    const credit = () =>
      this.executor.execute({
        streamId: streams.wallet(organizationId),
        decider: walletDecider,
        context,
        policy: WALLET_STREAM_POLICY,
        // The charges collecting debts get their charge's own id (as the workers' charges do): paid once at most.
        eventId: (event) =>
          event.type === 'WalletCharged'
            ? deterministicEventId(walletChargedEventKey(event.data.chargeId))
            : (eventId ?? uuidv4()),
        command: (_state, metadata) => ({
          type: 'CreditWallet' as const,
          data: {
            amount: command.amount,
            source: 'staff_credit' as const,
            reason: command.reason,
            ...(idempotencyKey ? { reference: idempotencyKey } : {}),
          },
          metadata,
        }),
      });

    let result;
    try {
      result = await credit();
    } catch (error) {
      // An organization whose creation stopped before its wallet was opened: open it now and retry.
      if (!(error instanceof Error && 'reason' in error && error.reason === 'wallet_not_found')) throw error;
      await openWallet(this.executor, organizationId, context);
      result = await credit();
    }
    const event = result.events[0] as WalletCredited & { id: string };
    if (!result.alreadyApplied) {
      // A top-up that covers the debt resumes suspended servers. Never fails the credit (see the notifier).
      await this.topUps.walletToppedUp(organizationId);
      return {
        transactionId: event.id,
        balance: event.data.balanceAfter,
        position: result.position,
        replayed: false,
      };
    }
    // A retry: the executor returned the original credit as stored; check the key is not reused for another one.
    const data = event.type === 'WalletCredited' ? event.data : undefined;
    if (!data || money(data.amount) !== command.amount || data.reason !== command.reason.trim()) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different credit',
        { header: 'Idempotency-Key' },
      );
    }
    // The original request may have stopped between the append and the signals: signal again (harmless).
    await this.topUps.walletToppedUp(organizationId);
    return {
      transactionId: event.id,
      balance: data.balanceAfter,
      position: result.position,
      replayed: true,
    };
  }
}
