import {
  VPS_OPERATION_WORKFLOW_TYPES,
  vpsOperationWorkflowId,
  type VpsOperationResult,
  type VpsOperationWorkflowInput,
} from '@stratus/workflows';
import { streams, vpsInstanceLabel, type VpsCommand, type VpsOperationKind } from '@stratus/domain';
import { SIMULATOR_IMAGES, SIMULATOR_TYPES } from '@stratus/infra/linode-simulator';
import { SAMPLE_SSH_KEYS } from '@stratus/domain/ssh-key/testing/ssh-key-samples';
import { randomUUID } from 'node:crypto';
import { TemporalHarness } from './testing/temporal-harness';

const PRICE = 1_000_000n;

/**
 * The operation workflows (rename, reverse DNS) against the real Temporal dev server, PostgreSQL and the Linode
 * simulator: the API's part (RequestRename / RequestReverseDns) is written through the domain as the API writes it.
 */
describe('operation workflows (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterAll(() => h.tearDown());
  afterEach(() => h.clearFaults());

  /** An active server running at the simulator (billed far ahead: no billing runs here). */
  async function activeServer() {
    const organizationId = await h.fundedOrganization(100_000_000n);
    const vpsId = await h.activeServer(
      organizationId,
      PRICE,
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    const [instance] = await h.instancesOf(vpsId);
    return { organizationId, vpsId, instance };
  }

  const WORKFLOW_OF: Record<VpsOperationKind, string> = VPS_OPERATION_WORKFLOW_TYPES;
  const KIND_OF: Record<string, VpsOperationKind> = {
    RequestRename: 'rename',
    RequestReverseDns: 'reverse_dns',
    RequestRebuild: 'rebuild',
    RequestResize: 'resize',
    RequestBackups: 'backups',
  };

  /** Records the operation as the API does, then runs its workflow to the end. */
  async function operate(
    server: { organizationId: string; vpsId: string },
    request:
      | { type: 'RequestRename'; label: string }
      | { type: 'RequestReverseDns'; ipv4: string; hostname: string | null }
      | ({ type: 'RequestRebuild' | 'RequestResize' | 'RequestBackups' } & Record<string, unknown>),
    options: { operationId?: string; record?: boolean } = {},
  ): Promise<{ operationId: string; result: VpsOperationResult }> {
    const operationId = options.operationId ?? randomUUID();
    const kind = KIND_OF[request.type];
    const workflowId = vpsOperationWorkflowId(kind, operationId);
    if (options.record !== false) {
      const { type, ...data } = request;
      await h.vpsCommand(server.vpsId, `operation:${operationId}`, {
        type,
        data: { operationId, workflowId, ...data },
      } as Omit<VpsCommand, 'metadata'>);
    }
    const input: VpsOperationWorkflowInput = {
      vpsId: server.vpsId,
      organizationId: server.organizationId,
      operationId,
      providerRetry: { maximumAttempts: 3, initialIntervalMs: 50 },
    };
    const result = (await h.env.client.workflow.execute(WORKFLOW_OF[kind], {
      taskQueue: h.taskQueue,
      workflowId: `${workflowId}-${randomUUID().slice(0, 4)}`,
      args: [input],
    })) as VpsOperationResult;
    return { operationId, result };
  }

  const eventTypes = async (vpsId: string) => (await h.vpsEvents(vpsId)).map((e) => e.type);

  it('renames the instance at the provider, then the server: its label changes once the provider took it', async () => {
    const server = await activeServer();
    const { operationId, result } = await operate(server, { type: 'RequestRename', label: 'web-2' });
    expect(result).toEqual({ outcome: 'completed' });

    const [instance] = await h.instancesOf(server.vpsId);
    expect(instance.label).toBe(vpsInstanceLabel(server.vpsId, 'web-2'));
    expect(await h.vpsState(server.vpsId)).toMatchObject({
      status: 'active',
      label: 'web-2',
      operation: null,
    });
    const completed = (await h.vpsEvents(server.vpsId)).filter((e) => e.type === 'VpsOperationCompleted');
    expect(completed).toHaveLength(1);
    expect(completed[0].data).toMatchObject({ operationId, operation: { kind: 'rename', label: 'web-2' } });
    expect(completed[0].metadata.actor).toMatchObject({ role: 'system' });

    // The same operation's workflow again (a duplicate run): the step is stale, nothing more is recorded.
    const before = await eventTypes(server.vpsId);
    const again = await operate(
      server,
      { type: 'RequestRename', label: 'web-2' },
      { operationId, record: false },
    );
    expect(again.result).toEqual({ outcome: 'completed' });
    expect(await eventTypes(server.vpsId)).toEqual(before);
  });

  it('sets the reverse DNS of the server address, and the provider default back', async () => {
    const server = await activeServer();
    const ipv4 = server.instance.ipv4[0];
    const set = await operate(server, { type: 'RequestReverseDns', ipv4, hostname: 'mail.example.com' });
    expect(set.result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].rdns[ipv4]).toBe('mail.example.com');
    expect(await h.vpsState(server.vpsId)).toMatchObject({ reverseDns: 'mail.example.com', operation: null });

    const reset = await operate(server, { type: 'RequestReverseDns', ipv4, hostname: null });
    expect(reset.result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].rdns[ipv4]).toMatch(/\.ip\.linodeusercontent\.com$/);
    expect(await h.vpsState(server.vpsId)).toMatchObject({ reverseDns: null });
  });

  it('retries provider failures (5xx, 429) and completes', async () => {
    const server = await activeServer();
    await h.fault({ operation: 'updateInstance', mode: 'error', count: 1 });
    await h.fault({ operation: 'updateInstance', mode: 'rateLimit', count: 1 });
    const { result } = await operate(server, { type: 'RequestRename', label: 'web-3' });
    expect(result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].label).toBe(vpsInstanceLabel(server.vpsId, 'web-3'));
  });

  it('fails the operation when the provider refuses (no forward DNS): nothing changes, the reason is recorded', async () => {
    const server = await activeServer();
    const ipv4 = server.instance.ipv4[0];
    const { operationId, result } = await operate(server, {
      type: 'RequestReverseDns',
      ipv4,
      hostname: 'mail.example.invalid',
    });
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/forward DNS/) });
    expect(await h.vpsState(server.vpsId)).toMatchObject({ reverseDns: null, operation: null });
    const failed = (await h.vpsEvents(server.vpsId)).find((e) => e.type === 'VpsOperationFailed');
    expect(failed?.data).toMatchObject({
      operationId,
      reason: expect.stringMatching(/setInstanceReverseDns/),
    });
    expect((await h.instancesOf(server.vpsId))[0].rdns[ipv4]).toMatch(/linodeusercontent/);
  });

  it('fails the operation once the provider keeps failing past its retries, and the server takes the next one', async () => {
    const server = await activeServer();
    await h.fault({ operation: 'updateInstance', mode: 'error' });
    const { result } = await operate(server, { type: 'RequestRename', label: 'web-4' });
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/HTTP 500/) });
    expect(await h.vpsState(server.vpsId)).toMatchObject({
      label: expect.not.stringMatching('web-4'),
      operation: null,
    });
    await h.clearFaults();
    expect((await operate(server, { type: 'RequestRename', label: 'web-4' })).result).toEqual({
      outcome: 'completed',
    });
  });

  // ---- rebuild, resize, backups (issue 15) ----

  it('resizes the instance to the new plan type, waits for it to run again, then records the new plan and price', async () => {
    const server = await activeServer();
    await h.seeding.reserveBurn(server.organizationId, server.vpsId, PRICE);
    const [small, big] = SIMULATOR_TYPES;
    const { operationId, result } = await operate(server, {
      type: 'RequestResize',
      plan: {
        planId: '00000000-0000-4000-8000-000000000002',
        providerPlanId: big.id,
        baseMonthlyPrice: 10_000_000n,
        markup: 2_000_000n,
        backupUpcharge: 2_000_000n,
        diskMb: big.disk,
      },
      currentDiskMb: small.disk,
    });
    expect(result).toEqual({ outcome: 'completed' });
    const [instance] = await h.instancesOf(server.vpsId);
    expect(instance).toMatchObject({ type: big.id, status: 'running', specs: { disk: big.disk } });
    expect(await h.vpsState(server.vpsId)).toMatchObject({
      providerPlanId: big.id,
      hourlyPrice: 16438n,
      monthlyPrice: 12_000_000n,
      operation: null,
    });
    // A duplicate run: the step is stale and the instance is not resized again.
    const again = await operate(server, { type: 'RequestResize' }, { operationId, record: false });
    expect(again.result).toEqual({ outcome: 'completed' });
    // The wallet's burn (what later creates must cover) follows the new price, once.
    const burn = (await h.walletEvents(server.organizationId))
      .filter((e) => e.type === 'WalletBurnReserved')
      .map((e) => (e.data as { hourlyPrice: string }).hourlyPrice);
    expect(burn).toEqual(['1.000000', '0.016438']);
  });

  it('fails a resize the provider keeps failing: the server keeps its plan and price', async () => {
    const server = await activeServer();
    const [small, big] = SIMULATOR_TYPES;
    await h.fault({ operation: 'resize', mode: 'error' });
    const { result } = await operate(server, {
      type: 'RequestResize',
      plan: {
        planId: '00000000-0000-4000-8000-000000000002',
        providerPlanId: big.id,
        baseMonthlyPrice: 10_000_000n,
        markup: 0n,
        backupUpcharge: 0n,
        diskMb: big.disk,
      },
      currentDiskMb: small.disk,
    });
    expect(result).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/resizeInstance/) });
    expect((await h.instancesOf(server.vpsId))[0].type).toBe(small.id);
    expect(await h.vpsState(server.vpsId)).toMatchObject({ providerPlanId: small.id, hourlyPrice: PRICE });
  });

  it('a resize whose answer was lost (the provider did it) is not sent again: the retry sees the new type', async () => {
    const server = await activeServer();
    const [small, big] = SIMULATOR_TYPES;
    await h.fault({ operation: 'resize', mode: 'lostAnswer', count: 1 });
    const { result } = await operate(server, {
      type: 'RequestResize',
      plan: {
        planId: '00000000-0000-4000-8000-000000000002',
        providerPlanId: big.id,
        baseMonthlyPrice: 10_000_000n,
        markup: 0n,
        backupUpcharge: 0n,
        diskMb: big.disk,
      },
      currentDiskMb: small.disk,
    });
    // A second resize to the same type would have been refused ("already running this service plan").
    expect(result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].type).toBe(big.id);
    expect(await h.vpsState(server.vpsId)).toMatchObject({ providerPlanId: big.id });
  });

  it('rebuilds with the new image, password and keys, resets the console host key, then records them', async () => {
    const server = await activeServer();
    // A console that pinned the instance's key before the rebuild.
    await h.store.appendToStream(
      streams.console(server.vpsId),
      [
        {
          id: randomUUID(),
          type: 'ConsoleHostKeyPinned',
          data: {
            vpsId: server.vpsId,
            organizationId: server.organizationId,
            algorithm: 'ssh-ed25519',
            fingerprint: `SHA256:${'A'.repeat(43)}`,
          },
          metadata: { occurredAt: new Date().toISOString() },
        },
      ] as never,
      { expectedRevision: 'no_stream' },
    );
    const image = SIMULATOR_IMAGES[1].id;
    const { operationId, result } = await operate(server, {
      type: 'RequestRebuild',
      image,
      sshKeyIds: ['key-1'],
      authorizedKeys: [SAMPLE_SSH_KEYS.ed25519.publicKey],
      encryptedRootPassword: h.secretBox.encrypt('N3w-root-passw0rd', server.vpsId),
      rootLogin: 'password',
    });
    expect(result).toEqual({ outcome: 'completed' });
    const [instance] = await h.instancesOf(server.vpsId);
    // (The password is checked by logging in, in the API's server-operations test.)
    expect(instance).toMatchObject({
      authorized_keys: [SAMPLE_SSH_KEYS.ed25519.publicKey],
      host_key_generation: 1,
      image,
      status: 'running',
    });
    expect(await h.vpsState(server.vpsId)).toMatchObject({ image, sshKeyIds: ['key-1'], operation: null });
    const console = await h.store.readStream(streams.console(server.vpsId));
    expect(console.map((e) => e.type)).toEqual(['ConsoleHostKeyPinned', 'ConsoleHostKeyReset']);
    expect(console[1].data).toMatchObject({ operationId });
    // The reset comes before the completion: once the new image shows, the console takes the new key.
    const types = await eventTypes(server.vpsId);
    expect(types.at(-1)).toBe('VpsOperationCompleted');
  });

  it('turns backups on at the provider and records the new price; off again with the upcharge removed', async () => {
    const server = await activeServer();
    const on = await operate(server, {
      type: 'RequestBackups',
      enabled: true,
      planBackupUpcharge: 2_000_000n,
    });
    expect(on.result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].backups.enabled).toBe(true);
    const withBackups = await h.vpsState(server.vpsId);
    expect(withBackups).toMatchObject({ backups: true, backupUpcharge: 2_000_000n });
    const off = await operate(server, {
      type: 'RequestBackups',
      enabled: false,
      planBackupUpcharge: 9_000_000n,
    });
    expect(off.result).toEqual({ outcome: 'completed' });
    expect((await h.instancesOf(server.vpsId))[0].backups.enabled).toBe(false);
    const without = await h.vpsState(server.vpsId);
    expect(without).toMatchObject({ backups: false, backupUpcharge: 0n });
    if (without.status !== 'active' || withBackups.status !== 'active') throw new Error('not active');
    expect(withBackups.monthlyPrice - without.monthlyPrice).toBe(2_000_000n);
  });
});
