import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { requireFirewallRules, type FirewallRules } from '../firewall/firewall-rules';
import { vpsDecider, type VpsCommand } from './vps.decider';
import type { VpsEvent, VpsOperationSpec } from './vps.events';

/** Snapshots, restores and firewall rules: operations on a server (issue 15), by the server's state. */
const spec = DeciderSpecification.for(vpsDecider);
const VPS = 'vps-1';
const T = '2026-01-01T00:00:00.000Z';
const customer: CommandMetadata = metadataFor('user-1');
const system: CommandMetadata = metadataFor('operation-workflow', 'system');

const cmd = <K extends VpsCommand['type']>(
  type: K,
  data: Extract<VpsCommand, { type: K }>['data'],
  metadata = customer,
): VpsCommand => ({ type, data, metadata }) as VpsCommand;

const requested = (backups: boolean): VpsEvent => ({
  type: 'VpsRequested',
  data: {
    vpsId: VPS,
    organizationId: 'org-1',
    label: 'web-1',
    planId: 'plan-1',
    providerPlanId: 'g6-nanode-1',
    region: 'us-east',
    image: 'linode/debian12',
    backups,
    sshKeyIds: [],
    authorizedKeys: [],
    encryptedRootPassword: 'iv.tag.data',
    hourlyPrice: '0.006849',
    monthlyPrice: '5.000000',
    idempotencyKey: 'key',
    workflowId: 'vps-provisioning-vps-1',
  },
});
const activeWith = (backups: boolean): VpsEvent[] => [
  requested(backups),
  { type: 'VpsInstanceCreated', data: { vpsId: VPS, providerInstanceId: '123' } },
  {
    type: 'VpsActivated',
    data: {
      vpsId: VPS,
      providerInstanceId: '123',
      ipv4: '192.0.2.10',
      billingWorkflowId: 'vps-billing-vps-1',
      billedUntil: '2026-01-01T01:00:00.000Z',
    },
  },
];
const active = activeWith(true);
const withoutBackups = activeWith(false);
const suspended: VpsEvent[] = [
  ...active,
  {
    type: 'VpsPeriodChargeFailed',
    data: {
      vpsId: VPS,
      chargeId: 'c',
      amount: '0.006849',
      periodStart: '2026-01-01T01:00:00.000Z',
      periodEnd: '2026-01-01T02:00:00.000Z',
    },
  },
  { type: 'VpsSuspended', data: { vpsId: VPS, reason: 'insufficient_funds', debt: '0.006849' } },
];
const deleting: VpsEvent[] = [...active, { type: 'VpsDeletionRequested', data: { vpsId: VPS } }];

const snapshot = (label = 'before-upgrade', operationId = 'op-1') =>
  cmd('RequestSnapshot', { operationId, workflowId: `vps-snapshot-${operationId}`, label });
const restore = (backupId = '50000001', operationId = 'op-2') =>
  cmd('RequestRestore', { operationId, workflowId: `vps-restore-${operationId}`, backupId });
const firewall = (rules: unknown, operationId = 'op-3') =>
  cmd('RequestFirewallRules', { operationId, workflowId: `vps-firewall-${operationId}`, rules });
const complete = (operationId: string) => cmd('CompleteOperation', { operationId }, system);
const fail = (operationId: string) => cmd('FailOperation', { operationId, reason: 'Linode busy.' }, system);

const started = (operationId: string, operation: VpsOperationSpec): VpsEvent => ({
  type: 'VpsOperationStarted',
  data: {
    vpsId: VPS,
    operationId,
    workflowId: `vps-${operation.kind}-${operationId}`,
    requestedAt: T,
    operation,
  },
});
const completed = (operationId: string, operation: VpsOperationSpec): VpsEvent => ({
  type: 'VpsOperationCompleted',
  data: { vpsId: VPS, operationId, operation },
});

const sshOnly: FirewallRules = {
  defaultInbound: 'DROP',
  inbound: [{ protocol: 'TCP', ports: '22', addresses: ['203.0.113.0/24'] }],
};
const snapshotSpec: VpsOperationSpec = { kind: 'snapshot', label: 'before-upgrade' };
const restoreSpec: VpsOperationSpec = { kind: 'restore', backupId: '50000001' };
const firewallSpec: VpsOperationSpec = { kind: 'firewall', rules: sshOnly, previous: null };

describe('vps decider: backups, snapshots, restores and firewall rules', () => {
  describe('active, backups enabled, no operation in progress', () => {
    it('RequestSnapshot starts a snapshot with its label (trimmed); completing it changes nothing else', () => {
      spec
        .given(active)
        .when(snapshot('  before-upgrade '))
        .then([started('op-1', snapshotSpec)]);
      const state = stateAfter(vpsDecider, [
        ...active,
        started('op-1', snapshotSpec),
        completed('op-1', snapshotSpec),
      ]);
      expect(state).toMatchObject({ status: 'active', operation: null, label: 'web-1' });
    });

    it('RequestSnapshot refuses an empty or over-long label', () => {
      spec.given(active).when(snapshot('  ')).thenThrows('validation', 'invalid_snapshot_label');
      spec
        .given(active)
        .when(snapshot('x'.repeat(256)))
        .thenThrows('validation', 'invalid_snapshot_label');
    });

    it('RequestRestore starts a restore of a backup id; not a provider id: invalid_backup_id', () => {
      spec
        .given(active)
        .when(restore())
        .then([started('op-2', restoreSpec)]);
      spec.given(active).when(restore('../1')).thenThrows('validation', 'invalid_backup_id');
    });

    it('RequestFirewallRules starts a firewall change; its rules are in effect once it completes', () => {
      spec
        .given(active)
        .when(firewall(sshOnly))
        .then([started('op-3', firewallSpec)]);
      const state = stateAfter(vpsDecider, [
        ...active,
        started('op-3', firewallSpec),
        completed('op-3', firewallSpec),
      ]);
      expect(state).toMatchObject({ firewall: sshOnly, operation: null });
      // The next change names what it replaces.
      const open: FirewallRules = { defaultInbound: 'ACCEPT', inbound: [] };
      spec
        .given([...active, started('op-3', firewallSpec), completed('op-3', firewallSpec)])
        .when(firewall(open, 'op-4'))
        .then([started('op-4', { kind: 'firewall', rules: open, previous: sshOnly })]);
    });

    it('a failed firewall change leaves the rules in effect', () => {
      const state = spec
        .given([...active, started('op-3', firewallSpec)])
        .when(fail('op-3'))
        .then([
          {
            type: 'VpsOperationFailed',
            data: { vpsId: VPS, operationId: 'op-3', operation: firewallSpec, reason: 'Linode busy.' },
          },
        ]);
      expect(state).toMatchObject({ firewall: null, operation: null });
    });

    it.each<[string, unknown, string]>([
      ['an unknown policy', { defaultInbound: 'REJECT', inbound: [] }, 'defaultInbound'],
      [
        'an unknown protocol',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'GRE', addresses: ['0.0.0.0/0'] }] },
        'inbound[0].protocol',
      ],
      [
        'port 0',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', ports: '0', addresses: ['0.0.0.0/0'] }] },
        'inbound[0].ports',
      ],
      [
        'port 65536',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', ports: '65536', addresses: ['::/0'] }] },
        'inbound[0].ports',
      ],
      [
        'a backwards range',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'UDP', ports: '90-80', addresses: ['::/0'] }] },
        'inbound[0].ports',
      ],
      [
        'ports on ICMP',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'ICMP', ports: '22', addresses: ['::/0'] }] },
        'inbound[0].ports',
      ],
      [
        'a bad network',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', addresses: ['10.0.0.0/33'] }] },
        'inbound[0].addresses[0]',
      ],
      [
        'a host name',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', addresses: ['example.com'] }] },
        'inbound[0].addresses[0]',
      ],
      [
        'no networks',
        { defaultInbound: 'DROP', inbound: [{ protocol: 'TCP', addresses: [] }] },
        'inbound[0].addresses',
      ],
      [
        '26 rules',
        {
          defaultInbound: 'DROP',
          inbound: Array.from({ length: 26 }, () => ({ protocol: 'ICMP', addresses: ['::/0'] })),
        },
        'inbound',
      ],
    ])(
      'RequestFirewallRules refuses %s (invalid_firewall_rules, naming the field)',
      (_what, rules, field) => {
        spec
          .given(active)
          .when(firewall(rules))
          .thenThrows('validation', 'invalid_firewall_rules', { field });
      },
    );

    it('firewall rules are written canonically: bare addresses get their prefix, ports their plain form', () => {
      expect(
        requireFirewallRules({
          defaultInbound: 'DROP',
          inbound: [
            {
              protocol: 'TCP',
              ports: ' 22, 8000-8100 ',
              addresses: ['203.0.113.7', '2001:DB8::/32', '203.0.113.7'],
            },
            { protocol: 'ICMP', ports: null, addresses: ['::ffff:192.0.2.1'] },
          ],
        }),
      ).toEqual({
        defaultInbound: 'DROP',
        inbound: [
          { protocol: 'TCP', ports: '22,8000-8100', addresses: ['203.0.113.7/32', '2001:db8::/32'] },
          { protocol: 'ICMP', ports: null, addresses: ['::ffff:192.0.2.1/128'] },
        ],
      });
    });
  });

  describe('active, backups not enabled', () => {
    it('refuses snapshots and restores (backups_not_enabled); the firewall needs no backups', () => {
      spec.given(withoutBackups).when(snapshot()).thenThrows('conflict', 'backups_not_enabled');
      spec.given(withoutBackups).when(restore()).thenThrows('conflict', 'backups_not_enabled');
      spec
        .given(withoutBackups)
        .when(firewall(sshOnly))
        .then([started('op-3', firewallSpec)]);
    });
  });

  describe('active, a restore in progress', () => {
    const restoring = [...active, started('op-2', restoreSpec)];

    it('refuses power actions (operation_in_progress naming the restore)', () => {
      spec
        .given(restoring)
        .when(cmd('RequestPowerAction', { action: 'shutdown' }))
        .thenThrows('conflict', 'operation_in_progress', { operationId: 'op-2', operation: 'restore' });
    });

    it('refuses another operation; the same restore again records nothing', () => {
      spec.given(restoring).when(snapshot()).thenThrows('conflict', 'operation_in_progress');
      spec.given(restoring).when(restore('50000002', 'op-9')).thenThrows('conflict', 'operation_in_progress');
      spec.given(restoring).when(restore('50000001', 'op-9')).then([]);
    });

    it('CompleteOperation ends it; power actions go on again', () => {
      spec
        .given(restoring)
        .when(complete('op-2'))
        .then([completed('op-2', restoreSpec)]);
      spec
        .given([...restoring, completed('op-2', restoreSpec)])
        .when(cmd('RequestPowerAction', { action: 'reboot' }))
        .then([{ type: 'VpsPowerActionRequested', data: { vpsId: VPS, action: 'reboot' } }]);
    });
  });

  describe('active, a snapshot in progress', () => {
    it('lets power actions go on (a snapshot does not stop the server)', () => {
      spec
        .given([...active, started('op-1', snapshotSpec)])
        .when(cmd('RequestPowerAction', { action: 'reboot' }))
        .then([{ type: 'VpsPowerActionRequested', data: { vpsId: VPS, action: 'reboot' } }]);
    });
  });

  describe('not active', () => {
    it.each<[string, VpsEvent[], string]>([
      ['suspended', suspended, 'vps_suspended'],
      ['deleting', deleting, 'vps_not_active'],
      ['provisioning', [requested(true)], 'vps_not_active'],
    ])('%s: %s', (_status, history, reason) => {
      spec.given(history).when(snapshot()).thenThrows('conflict', reason);
      spec.given(history).when(restore()).thenThrows('conflict', reason);
      spec.given(history).when(firewall(sshOnly)).thenThrows('conflict', reason);
    });
  });
});
