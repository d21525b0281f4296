import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  DomainError,
  formatMoney,
  streams,
  walletBurnReservedKey,
  vpsDecider,
  walletDecider,
  type VpsRequested,
  STRATUS_ID_NAMESPACE,
  WALLET_STREAM_POLICY,
} from '@stratus/domain';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
  CommandExecutor,
  KeyedMutex,
  ConcurrencyConflictError,
} from '@stratus/eventstore';
import { SecretBox } from '@stratus/infra';
import { provisioningWorkflowId } from '@stratus/workflows';
import { v5 as uuidv5 } from 'uuid';
import { ApiError } from '../../../../shared/errors/api-error';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { VPS_SETTINGS, type VpsSettings } from '../../../../shared/config/vps-settings';
import { loadPlan, planPrices } from '../../../catalog/shared/plan-pricing';
import { ProviderCatalog } from '../../../catalog/shared/provider-catalog.service';
import { idempotencyRecord, vpsIdFor } from '../../shared/idempotency';
import { organizationAuthorizedKeys } from '../../shared/organization-ssh-keys';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { CreateVpsCommand, type CreateVpsResult } from './create-vps.command';

/** Once any of these happened the provisioning workflow ran: a replayed request must not start another. */
const PAST_PROVISIONING = new Set([
  'VpsActivated',
  'VpsProvisioningFailed',
  'VpsDeletionRequested',
  'VpsDeleted',
]);

/**
 * Create a server: idempotent by (organization, Idempotency-Key) → server id. Checks plan, region, image, SSH
 * keys (the organization's own; their public keys are recorded and sent to the provider) and balance; encrypts the root password (AAD = server id) before it enters the event; appends VpsRequested to a
 * new stream; then starts the provisioning workflow. The event is the commitment: when Temporal is down the
 * answer is 503 and a retry with the same key finds the event and starts the workflow.
 */
@CommandHandler(CreateVpsCommand)
export class CreateVpsHandler implements ICommandHandler<CreateVpsCommand, CreateVpsResult> {
  private readonly logger = new Logger('CreateVps');
  private readonly mutex = new KeyedMutex();
  private readonly secretBox: SecretBox;

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(VPS_SETTINGS) private readonly settings: VpsSettings,
    private readonly providerCatalog: ProviderCatalog,
    private readonly workflows: TemporalWorkflows,
  ) {
    this.secretBox = new SecretBox(settings.secretsEncryptionKey);
  }

  execute(command: CreateVpsCommand): Promise<CreateVpsResult> {
    const vpsId = vpsIdFor(command.organizationId, command.idempotencyKey);
    // One request per key at a time in this process; another instance racing us loses at the append.
    return this.mutex.run(vpsId, () => this.create(command, vpsId));
  }

  private async create(command: CreateVpsCommand, vpsId: string): Promise<CreateVpsResult> {
    const { organizationId, body } = command;
    const record = idempotencyRecord(command.idempotencyKey, body, this.settings.secretsEncryptionKey);
    const streamId = streams.vps(vpsId);

    const existing = await this.eventStore.readStream(streamId);
    if (existing.length > 0) return this.replay(existing, record, command);

    // Plan: folded from its stream (authoritative, no projection lag); the price is fixed from it now.
    const plan = await loadPlan(this.eventStore, body.planId);
    if (!plan || !plan.active) {
      throw new ApiError(422, 'plan_not_available', 'The plan does not exist or is no longer offered', {
        field: 'planId',
        planId: body.planId,
      });
    }
    if (!plan.regions.includes(body.region)) {
      throw new ApiError(422, 'region_not_offered', `The plan is not offered in region ${body.region}`, {
        field: 'region',
        region: body.region,
        offeredRegions: plan.regions,
      });
    }
    const images = await this.providerCatalog.images();
    if (!images.some((image) => image.id === body.image && !image.deprecated)) {
      throw new ApiError(422, 'image_not_available', `The image ${body.image} is not available`, {
        field: 'image',
        image: body.image,
      });
    }

    const authorizedKeys = await organizationAuthorizedKeys(this.executor, organizationId, body.sshKeyIds);

    // The server joins the organization's hourly burn on the wallet stream (expected revision: concurrent creates
    // serialize there), if the balance covers its first hour plus minBalanceHours of the burn of all the
    // organization's servers with it; else the wallet decider's insufficient_funds is the 402. Before the
    // server's stream, so a server never exists unreserved; a retry with the same key reserves nothing more.
    const price = planPrices(plan, body.backups);
    await this.executor.execute({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      policy: WALLET_STREAM_POLICY,
      context: command.context,
      idempotencyKey: walletBurnReservedKey(vpsId),
      command: (_state, metadata) => ({
        type: 'ReserveBurn' as const,
        data: { vpsId, hourlyPrice: price.hourly, minBalanceHours: this.settings.minBalanceHours },
        metadata,
      }),
    });

    const workflowId = provisioningWorkflowId(vpsId);
    const encryptedRootPassword = this.secretBox.encrypt(body.rootPassword, vpsId);
    let result;
    try {
      result = await this.executor.execute({
        streamId,
        decider: vpsDecider,
        context: command.context,
        expectNoStream: true,
        eventId: () => uuidv5(`${vpsId}:requested`, STRATUS_ID_NAMESPACE),
        command: (_state, metadata) => ({
          type: 'RequestVps' as const,
          data: {
            vpsId,
            organizationId,
            label: body.label,
            planId: body.planId,
            providerPlanId: plan.providerPlanId,
            region: body.region,
            image: body.image,
            backups: body.backups,
            sshKeyIds: body.sshKeyIds,
            authorizedKeys,
            encryptedRootPassword,
            hourlyPrice: price.hourly,
            monthlyPrice: price.monthly,
            // What disabling backups later removes (a staff change to the plan reprices no server).
            backupUpcharge: body.backups ? plan.backupUpcharge : 0n,
            idempotencyKey: record,
            workflowId,
          },
          metadata,
        }),
      });
    } catch (error) {
      // Another instance created it with the same key between our read and our append.
      if (isLostRace(error)) return this.replay(await this.eventStore.readStream(streamId), record, command);
      throw error;
    }
    if (result.alreadyApplied)
      return this.replay(await this.eventStore.readStream(streamId), record, command);

    await this.workflows.startProvisioning(this.workflows.provisioningInput(vpsId, organizationId));
    return {
      vpsId,
      workflowId,
      hourlyPrice: formatMoney(price.hourly),
      monthlyPrice: formatMoney(price.monthly),
      position: result.position,
      replayed: false,
    };
  }

  /** The same key again: the same body gets the original answer (and the workflow started if it was not). */
  private async replay(
    events: RecordedEvent[],
    record: string,
    command: CreateVpsCommand,
  ): Promise<CreateVpsResult> {
    const requested = events.find((e) => e.type === 'VpsRequested');
    const data = requested?.data as VpsRequested['data'] | undefined;
    if (!requested || !data) throw new Error(`vps stream ${events[0]?.streamId} has no VpsRequested`);
    if (data.idempotencyKey !== record || data.organizationId !== command.organizationId) {
      throw new ApiError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used to create a different server; use a new key for a new server',
        { header: 'Idempotency-Key', vpsId: data.vpsId },
      );
    }
    if (!events.some((e) => PAST_PROVISIONING.has(e.type))) {
      const started = await this.workflows.startProvisioning(
        this.workflows.provisioningInput(data.vpsId, data.organizationId),
      );
      if (started) this.logger.log(`provisioning of ${data.vpsId} started on a retried request`);
    }
    return {
      vpsId: data.vpsId,
      workflowId: data.workflowId,
      hourlyPrice: data.hourlyPrice,
      monthlyPrice: data.monthlyPrice,
      position: requested.position,
      replayed: true,
    };
  }
}

function isLostRace(error: unknown): boolean {
  return (
    error instanceof WrongExpectedRevisionError ||
    error instanceof ConcurrencyConflictError ||
    (error instanceof DomainError && error.code === 'conflict')
  );
}
