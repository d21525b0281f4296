import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  reconciliationDecider,
  streams,
  type BillingReconciliationCompleted,
  STRATUS_ID_NAMESPACE,
} from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { API_CONFIG, type ApiConfig } from '../../../../shared/config/api-config';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { VPS_SETTINGS, type VpsSettings } from '../../../../shared/config/vps-settings';
import type { ProjectionsOrm } from '@stratus/projections';
import { postgresReplayCut, replayBilling } from '../../shared/billing-replay';
import { RunReconciliationCommand, type RunReconciliationResult } from './run-reconciliation.command';

/** Same key ⇒ same run id, so a retried request finds the run it already stored. */
export function reconciliationIdFor(idempotencyKey: string): string {
  return uuidv5(`billing-reconciliation:${idempotencyKey}`, STRATUS_ID_NAMESPACE);
}

@CommandHandler(RunReconciliationCommand)
export class RunReconciliationHandler implements ICommandHandler<
  RunReconciliationCommand,
  RunReconciliationResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly organizations: OrganizationAccess,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(VPS_SETTINGS) private readonly settings: Pick<VpsSettings, 'billingPeriodSeconds'>,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
  ) {}

  async execute(command: RunReconciliationCommand): Promise<RunReconciliationResult> {
    const { from, to, organizationId, idempotencyKey, context } = command;
    if (organizationId !== null) {
      const organization = await this.organizations.load(organizationId);
      if (organization.status === 'none') {
        throw new ApiError(404, 'organization_not_found', 'Organization not found');
      }
    }
    const reconciliationId = idempotencyKey ? reconciliationIdFor(idempotencyKey) : uuidv4();
    const streamId = streams.reconciliation(reconciliationId);

    if (idempotencyKey) {
      const stored = await this.storedRun(streamId);
      if (stored) return this.replayedRun(stored, command);
    }

    // The PostgreSQL event store shares the read models' database (DATABASE_URL): its cut is taken there.
    const knex = this.orm.em.getConnection().getKnex();
    const cut =
      this.config.eventStore.kind === 'postgres' ? postgresReplayCut((sql) => knex.raw(sql) as never) : null;
    const report = await replayBilling(
      this.eventStore,
      { from, to, organizationId, periodSeconds: this.settings.billingPeriodSeconds },
      { cut },
    );
    const { eventsRead: _eventsRead, ...run } = report;
    try {
      const result = await this.executor.execute({
        streamId,
        decider: reconciliationDecider,
        context,
        expectNoStream: true,
        command: (_state, metadata) => ({
          type: 'CompleteReconciliation' as const,
          data: { reconciliationId, report: run },
          metadata,
        }),
      });
      const event = result.events[0] as BillingReconciliationCompleted;
      return { run: event.data, position: result.position, replayed: false };
    } catch (error) {
      // Two requests with one key raced: the other stored the run first.
      const stored = idempotencyKey ? await this.storedRun(streamId) : null;
      if (stored) return this.replayedRun(stored, command);
      throw error;
    }
  }

  private async storedRun(streamId: string) {
    const [first] = await this.eventStore.readStream(streamId, { maxCount: 1 });
    return first?.type === 'BillingReconciliationCompleted' ? first : null;
  }

  private replayedRun(
    stored: NonNullable<Awaited<ReturnType<RunReconciliationHandler['storedRun']>>>,
    command: RunReconciliationCommand,
  ): RunReconciliationResult {
    const data = stored.data as BillingReconciliationCompleted['data'];
    if (
      data.from !== command.from ||
      data.to !== command.to ||
      data.organizationId !== command.organizationId
    ) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different reconciliation',
        { header: 'Idempotency-Key', reconciliationId: data.reconciliationId },
      );
    }
    return { run: data, position: stored.position, replayed: true };
  }
}
