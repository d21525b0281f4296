import { randomUUID } from 'node:crypto';
import { PLATFORM_FIREWALL_LABEL, vpsFirewallLabel, type VpsCommand } from '@stratus/domain';
import { syncPlatformFirewall } from '@stratus/infra';
import {
  VPS_OPERATION_WORKFLOW_TYPES,
  vpsOperationWorkflowId,
  type VpsOperationResult,
  type VpsOperationWorkflowInput,
} from '@stratus/workflows';
import { TemporalHarness } from './testing/temporal-harness';

/**
 * The firewall workflow's compensation against the real Temporal dev server, PostgreSQL and the Linode simulator:
 * a server behind the platform's default firewall that fails to leave it is taken from behind its own firewall
 * again, so the default stays the rules in effect.
 */
describe('firewall operation workflow (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterAll(() => h.tearDown());
  afterEach(() => h.clearActivityFaults());

  const rules = {
    defaultInbound: 'DROP' as const,
    inbound: [{ protocol: 'TCP' as const, ports: '22', addresses: ['0.0.0.0/0'] }],
  };

  async function firewallOperation(organizationId: string, vpsId: string): Promise<VpsOperationResult> {
    const operationId = randomUUID();
    const workflowId = vpsOperationWorkflowId('firewall', operationId);
    await h.vpsCommand(vpsId, `operation:${operationId}`, {
      type: 'RequestFirewallRules',
      data: { operationId, workflowId, rules },
    } as Omit<VpsCommand, 'metadata'>);
    const input: VpsOperationWorkflowInput = {
      vpsId,
      organizationId,
      operationId,
      providerRetry: { maximumAttempts: 2, initialIntervalMs: 50 },
    };
    return (await h.env.client.workflow.execute(VPS_OPERATION_WORKFLOW_TYPES.firewall, {
      taskQueue: h.taskQueue,
      workflowId,
      args: [input],
    })) as VpsOperationResult;
  }

  it('leaving the default firewall fails for good: the compensation leaves the default in effect', async () => {
    const organizationId = await h.fundedOrganization(100_000_000n);
    const vpsId = await h.activeServer(
      organizationId,
      1_000_000n,
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    const [instance] = await h.instancesOf(vpsId);
    const provider = h.provider();
    const platformId = await syncPlatformFirewall(provider, { defaultInbound: 'ACCEPT', inbound: [] });
    await provider.attachFirewallInstance(platformId, String(instance.id));
    const behind = (label: string) =>
      h.simulator.state.allFirewalls().find((f) => f.firewall.label === label)?.linodes ?? [];

    const leave = h.injectActivityFault({
      activity: 'leavePlatformFirewall',
      vpsId,
      at: 'before',
      nonRetryable: true,
    });
    const failed = await firewallOperation(organizationId, vpsId);
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(leave.fired()).toBe(1);
    // Its own firewall was made with the rules, then the server was taken from behind it again.
    expect(behind(vpsFirewallLabel(vpsId))).toEqual([]);
    expect(behind(PLATFORM_FIREWALL_LABEL)).toContain(Number(instance.id));
    expect(await h.vpsState(vpsId)).toMatchObject({ firewall: null, operation: null });

    // The same change again succeeds: behind its own firewall (found again by its label), not the default.
    h.clearActivityFaults();
    expect(await firewallOperation(organizationId, vpsId)).toEqual({ outcome: 'completed' });
    expect(behind(vpsFirewallLabel(vpsId))).toEqual([Number(instance.id)]);
    expect(behind(PLATFORM_FIREWALL_LABEL)).not.toContain(Number(instance.id));
    expect(
      h.simulator.state.allFirewalls().filter((f) => f.firewall.label === vpsFirewallLabel(vpsId)),
    ).toHaveLength(1);
    expect(await h.vpsState(vpsId)).toMatchObject({ firewall: rules, operation: null });
  });
});
