import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  streams,
  vpsDecider,
  walletDecider,
  type VpsCommand,
  type VpsEvent,
  type VpsState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import { CommandExecutor, PostgresEventStore } from '@stratus/eventstore';
import { SecretBox, SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from '@stratus/infra';

const context = { actor: { userId: 'bench', role: 'admin' }, correlationId: 'bench', causationId: 'bench' };

/** Seeds wallets and servers the way the API does, through the domain's deciders. */
export class BenchFixtures {
  readonly store: PostgresEventStore;
  readonly executor: CommandExecutor;
  readonly secretBox = new SecretBox(SecretBox.generateKey());

  constructor(readonly pool: Pool) {
    this.store = new PostgresEventStore({ pool });
    this.executor = new CommandExecutor({ eventStore: this.store });
  }

  private wallet(organizationId: string, key: string, command: Omit<WalletCommand, 'metadata'>) {
    return this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context,
      idempotencyKey: `bench:${organizationId}:${key}`,
      command: (_s, metadata) => ({ ...command, metadata }) as WalletCommand,
    });
  }

  private vps(vpsId: string, key: string, command: Omit<VpsCommand, 'metadata'>) {
    return this.executor.execute<VpsState, VpsCommand, VpsEvent>({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context,
      idempotencyKey: `bench:${vpsId}:${key}`,
      command: (_s, metadata) => ({ ...command, metadata }) as VpsCommand,
    });
  }

  async fundedOrganization(amount: bigint): Promise<string> {
    const organizationId = randomUUID();
    await this.wallet(organizationId, 'open', {
      type: 'OpenWallet',
      data: { walletId: randomUUID(), organizationId },
    });
    await this.wallet(organizationId, 'credit', {
      type: 'CreditWallet',
      data: { amount, source: 'staff_credit', reason: 'bench' },
    });
    return organizationId;
  }

  async requestVps(organizationId: string, hourlyPrice: bigint): Promise<string> {
    const vpsId = randomUUID();
    await this.vps(vpsId, 'request', {
      type: 'RequestVps',
      data: {
        vpsId,
        organizationId,
        label: `bench-${vpsId.slice(0, 8)}`,
        planId: randomUUID(),
        providerPlanId: SIMULATOR_TYPES[0].id,
        region: SIMULATOR_REGIONS[0].id,
        image: SIMULATOR_IMAGES[0].id,
        backups: false,
        sshKeyIds: [],
        encryptedRootPassword: this.secretBox.encrypt('Bench-Root-Password-1', vpsId),
        hourlyPrice,
        monthlyPrice: hourlyPrice * 730n,
        idempotencyKey: randomUUID(),
        workflowId: `vps-provisioning-${vpsId}`,
      },
    } as Omit<VpsCommand, 'metadata'>);
    return vpsId;
  }

  /** A server already active and paid until `billedUntil` (what provisioning leaves behind). */
  async activeVps(organizationId: string, hourlyPrice: bigint, billedUntil: string): Promise<string> {
    const vpsId = await this.requestVps(organizationId, hourlyPrice);
    await this.vps(vpsId, 'activate', {
      type: 'ActivateVps',
      data: {
        providerInstanceId: '1',
        ipv4: '192.0.2.10',
        billingWorkflowId: `vps-billing-${vpsId}`,
        billedUntil,
      },
    } as Omit<VpsCommand, 'metadata'>);
    return vpsId;
  }
}
