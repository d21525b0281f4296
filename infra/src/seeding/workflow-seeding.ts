import { randomUUID } from 'node:crypto';
import {
  parsePaymentAmount,
  streams,
  vpsDecider,
  walletBurnReservedKey,
  walletDecider,
  type PaymentProvider,
  type VpsCommand,
  type VpsEvent,
  type VpsState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import { CommandExecutor, type EventStore } from '@stratus/eventstore';
import { billingWorkflowId, provisioningWorkflowId } from '@stratus/workflows';
import { PaymentSettlement } from '../payments/payment-settlement';
import type { SecretBox } from '../secrets/secret-box';
import { SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from '../linode-simulator/catalog';

/** Seeded payments are checked against no real limit (the create route's are configuration). */
const PAYMENT_SEED_LIMITS = { min: 0n, max: 1_000_000_000_000n, daily: 1_000_000_000_000n };

/** The root password the seeded servers are requested with (encrypted like the API does, AAD = vpsId). */
export const SEEDED_ROOT_PASSWORD = 'Correct-Horse-Battery-9';

/**
 * What the API writes before it starts a workflow, through the domain's deciders: wallets opened and funded,
 * VpsRequested with an encrypted root password, or a server already active as provisioning leaves it. For the
 * workflow tests and the benchmarks (compiled, so `npm run bench` can use it); not used by the services.
 */
export class WorkflowSeeding {
  readonly executor: CommandExecutor;
  private readonly context: {
    actor: { userId: string; role: string };
    correlationId: string;
    causationId: string;
  };

  /** `name` tells the seeded data apart: actor, idempotency keys and server labels carry it. */
  constructor(
    private readonly eventStore: EventStore,
    private readonly secretBox: Pick<SecretBox, 'encrypt'>,
    private readonly name = 'test',
  ) {
    this.executor = new CommandExecutor({ eventStore });
    this.context = { actor: { userId: name, role: 'admin' }, correlationId: name, causationId: name };
  }

  /** An organization with an open wallet holding `balance` micro-dollars. */
  async fundedOrganization(balance: bigint): Promise<string> {
    const organizationId = randomUUID();
    await this.wallet(organizationId, 'open', {
      type: 'OpenWallet',
      data: { walletId: randomUUID(), organizationId },
    });
    if (balance > 0n) await this.credit(organizationId, balance);
    return organizationId;
  }

  async credit(organizationId: string, amount: bigint): Promise<void> {
    await this.wallet(organizationId, `credit:${randomUUID()}`, {
      type: 'CreditWallet',
      data: { amount, source: 'staff_credit', reason: this.name },
    });
  }

  /** What the API does on a creation: VpsRequested (root password encrypted with AAD = vpsId). */
  async requestVps(organizationId: string, hourlyPrice: bigint, requestedAt?: Date): Promise<string> {
    const vpsId = randomUUID();
    await this.vpsCommand(
      vpsId,
      'request',
      {
        type: 'RequestVps',
        data: {
          vpsId,
          organizationId,
          label: `${this.name}-${vpsId.slice(0, 8)}`,
          planId: randomUUID(),
          providerPlanId: SIMULATOR_TYPES[0].id,
          region: SIMULATOR_REGIONS[0].id,
          image: SIMULATOR_IMAGES[0].id,
          backups: false,
          sshKeyIds: [],
          authorizedKeys: [],
          encryptedRootPassword: this.secretBox.encrypt(SEEDED_ROOT_PASSWORD, vpsId),
          hourlyPrice,
          monthlyPrice: hourlyPrice * 730n,
          idempotencyKey: randomUUID(),
          workflowId: provisioningWorkflowId(vpsId),
        },
      } as Omit<VpsCommand, 'metadata'>,
      requestedAt,
    );
    return vpsId;
  }

  /** What create-vps does before VpsRequested: the server joins the organization's hourly burn (no minimum here). */
  async reserveBurn(organizationId: string, vpsId: string, hourlyPrice: bigint): Promise<void> {
    await this.wallet(organizationId, walletBurnReservedKey(vpsId), {
      type: 'ReserveBurn',
      data: { vpsId, hourlyPrice, minBalanceHours: 0 },
    });
  }

  /** A server already active and paid until `billedUntil` (what provisioning leaves behind), on a made-up instance. */
  async activeVps(organizationId: string, hourlyPrice: bigint, billedUntil: string): Promise<string> {
    // Requested one hour before billedUntil, as provisioning leaves it: its first hour lies before the billed periods.
    const requestedAt = new Date(Date.parse(billedUntil) - 3_600_000);
    const vpsId = await this.requestVps(organizationId, hourlyPrice, requestedAt);
    await this.activateVps(vpsId, { id: '1', ipv4: '192.0.2.10' }, billedUntil);
    return vpsId;
  }

  /** What provisioning records once the server runs on `instance`: VpsInstanceCreated, VpsActivated. */
  async activateVps(
    vpsId: string,
    instance: { id: string; ipv4: string },
    billedUntil: string,
  ): Promise<void> {
    await this.vpsCommand(vpsId, 'instance', {
      type: 'RecordInstanceCreated',
      data: { providerInstanceId: instance.id },
    } as Omit<VpsCommand, 'metadata'>);
    await this.vpsCommand(vpsId, 'activate', {
      type: 'ActivateVps',
      data: {
        providerInstanceId: instance.id,
        ipv4: instance.ipv4,
        billingWorkflowId: billingWorkflowId(vpsId),
        billedUntil,
        // Seeded servers may be back-dated: they became active when their billing starts, not when seeded.
        activatedAt: billedUntil,
      },
    } as Omit<VpsCommand, 'metadata'>);
  }

  /** `at`: the instant recorded as the command's time (back-dated seeds); default the system clock. */
  vpsCommand(vpsId: string, key: string, command: Omit<VpsCommand, 'metadata'>, at?: Date) {
    const executor = at
      ? new CommandExecutor({ eventStore: this.eventStore, clock: () => at })
      : this.executor;
    return executor.execute<VpsState, VpsCommand, VpsEvent>({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: this.context,
      idempotencyKey: `${this.name}:${vpsId}:${key}`,
      command: (_state, metadata) => ({ ...command, metadata }) as VpsCommand,
    });
  }

  async vpsState(vpsId: string): Promise<VpsState> {
    return (await this.executor.load(streams.vps(vpsId), vpsDecider)).state;
  }

  /**
   * What the create-payment route does before it starts the payment's workflow: an order at the provider (its
   * approval page is where a customer would be sent), then PaymentInitiated. `amount`: USD, such as "20.00".
   */
  async initiatePayment(
    organizationId: string,
    provider: PaymentProvider,
    amount: string,
  ): Promise<{ paymentId: string; providerOrderId: string }> {
    const paymentId = randomUUID();
    const micros = parsePaymentAmount(amount, PAYMENT_SEED_LIMITS);
    const order = await provider.createOrder({
      paymentId,
      amount: micros,
      returnUrl: `https://portal.test/billing/payments/${paymentId}/return`,
      cancelUrl: `https://portal.test/billing/payments/${paymentId}/cancelled`,
    });
    await new PaymentSettlement({ executor: this.executor, providers: { get: () => provider } }).initiate(
      {
        paymentId,
        organizationId,
        provider: provider.name,
        amount,
        limits: PAYMENT_SEED_LIMITS,
        initiatedToday: 0n,
        providerOrderId: order.providerOrderId,
        redirectUrl: order.redirectUrl,
      },
      this.context,
      `${this.name}:payment-initiate:${paymentId}`,
    );
    return { paymentId, providerOrderId: order.providerOrderId };
  }

  private wallet(organizationId: string, key: string, command: Omit<WalletCommand, 'metadata'>) {
    return this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context: this.context,
      idempotencyKey: `${this.name}:${organizationId}:${key}`,
      command: (_state, metadata) => ({ ...command, metadata }) as WalletCommand,
    });
  }
}
