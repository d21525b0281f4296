import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { vpsServersProjection } from './vps-servers.projection';

const requested = recorded(
  'VpsRequested',
  {
    vpsId: 'v1',
    organizationId: 'o1',
    label: 'web-1',
    planId: 'p1',
    providerPlanId: 'g6-nanode-1',
    region: 'us-east',
    image: 'linode/debian12',
    backups: true,
    sshKeyIds: ['k1'],
    encryptedRootPassword: 'v1.secret.secret.secret',
    hourlyPrice: '0.010958',
    monthlyPrice: '8.000000',
    idempotencyKey: 'k',
    workflowId: 'vps-provisioning-v1',
  },
  { occurredAt: '2026-01-01T00:00:00.000Z' },
);
const e = (type: string, data: object, occurredAt = '2026-01-01T00:01:00.000Z') =>
  recorded(type, { vpsId: 'v1', ...data }, { occurredAt });

describe('vps-servers projection', () => {
  it('records the request as provisioning, without the encrypted password', () => {
    const row = foldProjection(vpsServersProjection, [requested]).get('v1')!;
    expect(row).toMatchObject({
      id: 'v1',
      organizationId: 'o1',
      status: 'provisioning',
      hourlyPrice: 10_958n,
      monthlyPrice: 8_000_000n,
      sshKeyIds: ['k1'],
      workflowId: 'vps-provisioning-v1',
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
    });
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(
      'secret',
    );
  });

  it('follows provisioning through stuck, retry, activation, billing, suspension and deletion', () => {
    const steps = [
      e('VpsProvisioningStageChanged', { stage: 'charging_first_hour', attempt: 1 }),
      e('VpsFirstHourCharged', {
        chargeId: 'vps-v1:2026-01-01T00:00:00.000Z',
        amount: '0.010958',
        periodStart: '2026-01-01T00:00:00.000Z',
        periodEnd: '2026-01-01T01:00:00.000Z',
      }),
      e('VpsInstanceCreated', { providerInstanceId: '42' }),
      e('VpsProvisioningStuck', { stage: 'waiting_for_running', reason: 'not running after 600 s' }),
    ];
    let rows = foldProjection(vpsServersProjection, [requested, ...steps]);
    expect(rows.get('v1')).toMatchObject({
      status: 'stuck',
      provisioningStage: 'waiting_for_running',
      provisioningError: 'not running after 600 s',
      providerInstanceId: '42',
      billedUntil: new Date('2026-01-01T01:00:00.000Z'),
      lastBilledAt: new Date('2026-01-01T00:01:00.000Z'),
    });
    rows = foldProjection(
      vpsServersProjection,
      [
        e('VpsProvisioningRetried', { stage: 'waiting_for_running' }),
        e('VpsActivated', {
          providerInstanceId: '42',
          ipv4: '203.0.113.7',
          billingWorkflowId: 'vps-billing-v1',
          billedUntil: '2026-01-01T01:00:00.000Z',
        }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      status: 'active',
      ipv4: '203.0.113.7',
      provisioningError: null,
      provisioningStage: null,
    });
    rows = foldProjection(
      vpsServersProjection,
      [
        e(
          'VpsPeriodBilled',
          {
            chargeId: 'vps-v1:2026-01-01T01:00:00.000Z',
            amount: '0.010958',
            periodStart: '2026-01-01T01:00:00.000Z',
            periodEnd: '2026-01-01T02:00:00.000Z',
          },
          '2026-01-01T01:00:00.000Z',
        ),
        e('VpsPowerActionRequested', { action: 'reboot' }),
        e('VpsSuspended', { reason: 'insufficient_funds', debt: '0.010958' }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      status: 'suspended',
      debt: 10_958n,
      billedUntil: new Date('2026-01-01T02:00:00.000Z'),
      lastPowerAction: 'reboot',
    });
    rows = foldProjection(
      vpsServersProjection,
      [
        e('VpsResumed', {}),
        e('VpsDeletionRequested', {}),
        e('VpsDeleted', {
          finalChargeId: null,
          finalCharge: '0',
          deletedAt: '2026-01-01T03:00:00.000Z',
        }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      status: 'deleted',
      debt: null,
      deletedAt: new Date('2026-01-01T03:00:00.000Z'),
    });
  });

  it('marks a failed provisioning with its reason and is idempotent', () => {
    const failed = e('VpsProvisioningFailed', {
      stage: 'creating_instance',
      reason: 'provider rejected the image',
      instanceDeleted: true,
      refunded: true,
    });
    const once = foldProjection(vpsServersProjection, [requested, failed]);
    expect(once.get('v1')).toMatchObject({
      status: 'failed',
      provisioningError: 'provider rejected the image',
    });
    expect(foldProjection(vpsServersProjection, [requested, failed, requested, failed])).toEqual(
      foldProjection(vpsServersProjection, [requested, failed]),
    );
  });
  it('shows the operation in progress, then applies what completed and remembers how the last one ended', () => {
    const activated = e('VpsActivated', {
      providerInstanceId: '42',
      ipv4: '203.0.113.7',
      billingWorkflowId: 'vps-billing-v1',
      billedUntil: '2026-01-01T01:00:00.000Z',
    });
    const rename = { kind: 'rename', label: 'web-2', previousLabel: 'web-1' };
    const started = e('VpsOperationStarted', {
      operationId: 'op-1',
      workflowId: 'vps-rename-op-1',
      requestedAt: '2026-01-01T00:02:00.000Z',
      operation: rename,
    });
    let rows = foldProjection(vpsServersProjection, [requested, activated, started]);
    expect(rows.get('v1')).toMatchObject({
      label: 'web-1',
      operation: { kind: 'rename', label: 'web-2', operationId: 'op-1', workflowId: 'vps-rename-op-1' },
      lastOperation: null,
    });
    rows = foldProjection(
      vpsServersProjection,
      [e('VpsOperationCompleted', { operationId: 'op-1', operation: rename }, '2026-01-01T00:03:00.000Z')],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      label: 'web-2',
      operation: null,
      lastOperation: {
        operationId: 'op-1',
        kind: 'rename',
        outcome: 'completed',
        reason: null,
        finishedAt: '2026-01-01T00:03:00.000Z',
      },
    });

    const dns = {
      kind: 'reverse_dns',
      ipv4: '203.0.113.7',
      hostname: 'mail.example.com',
      previousHostname: null,
    };
    rows = foldProjection(
      vpsServersProjection,
      [
        e('VpsOperationStarted', {
          operationId: 'op-2',
          workflowId: 'vps-reverse-dns-op-2',
          requestedAt: '2026-01-01T00:04:00.000Z',
          operation: dns,
        }),
        e('VpsOperationFailed', {
          operationId: 'op-2',
          operation: dns,
          reason: 'Linode: forward DNS missing',
        }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      reverseDns: null,
      operation: null,
      lastOperation: { kind: 'reverse_dns', outcome: 'failed', reason: 'Linode: forward DNS missing' },
    });
    rows = foldProjection(
      vpsServersProjection,
      [
        e('VpsOperationStarted', {
          operationId: 'op-3',
          workflowId: 'vps-reverse-dns-op-3',
          requestedAt: '2026-01-01T00:05:00.000Z',
          operation: dns,
        }),
        e('VpsOperationCompleted', { operationId: 'op-3', operation: dns }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      reverseDns: 'mail.example.com',
      lastOperation: { outcome: 'completed' },
    });
  });

  // ---- rebuild, resize, backups (issue 15) ----
  it('a rebuild in progress holds no password; completed rebuilds, resizes and backups toggles show their effect', () => {
    const activated = e('VpsActivated', {
      providerInstanceId: '42',
      ipv4: '203.0.113.7',
      billingWorkflowId: 'vps-billing-v1',
      billedUntil: '2026-01-01T01:00:00.000Z',
    });
    const rebuild = {
      kind: 'rebuild',
      image: 'linode/debian11',
      previousImage: 'linode/debian12',
      sshKeyIds: ['k2'],
      authorizedKeys: ['ssh-ed25519 AAAA'],
      encryptedRootPassword: 'v1.new.secret.secret',
      rootLogin: 'keys',
    };
    const resize = {
      kind: 'resize',
      planId: 'p2',
      providerPlanId: 'g6-standard-1',
      hourlyPrice: '0.019863',
      monthlyPrice: '14.500000',
      previousPlanId: 'p1',
      previousProviderPlanId: 'g6-nanode-1',
      previousHourlyPrice: '0.010958',
      previousMonthlyPrice: '8.000000',
      backupUpcharge: '2.500000',
    };
    const backupsOff = {
      kind: 'backups',
      enabled: false,
      hourlyPrice: '0.016438',
      monthlyPrice: '12.000000',
      previousHourlyPrice: '0.019863',
      previousMonthlyPrice: '14.500000',
      backupUpcharge: '2.500000',
    };
    const started = (operationId: string, operation: object) =>
      e('VpsOperationStarted', {
        operationId,
        workflowId: `wf-${operationId}`,
        requestedAt: '2026-01-01T00:02:00.000Z',
        operation,
      });
    let rows = foldProjection(vpsServersProjection, [requested, activated, started('op-r', rebuild)]);
    expect(rows.get('v1')!.operation).toMatchObject({ kind: 'rebuild', encryptedRootPassword: '' });
    rows = foldProjection(
      vpsServersProjection,
      [
        e('VpsOperationCompleted', { operationId: 'op-r', operation: rebuild }),
        started('op-z', resize),
        e('VpsOperationCompleted', { operationId: 'op-z', operation: resize }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({
      image: 'linode/debian11',
      sshKeyIds: ['k2'],
      planId: 'p2',
      providerPlanId: 'g6-standard-1',
      hourlyPrice: 19863n,
      monthlyPrice: 14_500_000n,
      operation: null,
    });
    rows = foldProjection(
      vpsServersProjection,
      [
        started('op-b', backupsOff),
        e('VpsOperationCompleted', { operationId: 'op-b', operation: backupsOff }),
      ],
      rows,
    );
    expect(rows.get('v1')).toMatchObject({ backups: false, hourlyPrice: 16438n, monthlyPrice: 12_000_000n });
  });
});
