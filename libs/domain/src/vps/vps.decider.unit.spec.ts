import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { vpsDecider, type VpsCommand } from './vps.decider';
import { SAMPLE_SSH_KEYS } from '../ssh-key/testing/ssh-key-samples';
import type { VpsEvent, VpsRequested } from './vps.events';

const spec = DeciderSpecification.for(vpsDecider);
const VPS = 'vps-1';
const customer: CommandMetadata = metadataFor('user-1');
const system: CommandMetadata = metadataFor('provisioning-workflow', 'system');
const H0 = '2026-01-01T00:00:00.000Z';
const H1 = '2026-01-01T01:00:00.000Z';
const H2 = '2026-01-01T02:00:00.000Z';
const H3 = '2026-01-01T03:00:00.000Z';

const requestData = {
  vpsId: VPS,
  organizationId: 'org-1',
  label: 'web-1',
  planId: 'plan-1',
  providerPlanId: 'g6-nanode-1',
  region: 'us-east',
  image: 'linode/ubuntu24.04',
  backups: false,
  sshKeyIds: ['key-1'],
  authorizedKeys: [SAMPLE_SSH_KEYS.ed25519.publicKey] as string[],
  encryptedRootPassword: 'iv.tag.data',
  hourlyPrice: 6849n,
  monthlyPrice: 5_000_000n,
  idempotencyKey: 'v1:hmac:key',
  workflowId: 'vps-provisioning-vps-1',
};

// ---- commands ----
const cmd = <T extends VpsCommand['type']>(
  type: T,
  data: Extract<VpsCommand, { type: T }>['data'],
  metadata = system,
): VpsCommand => ({ type, data, metadata }) as VpsCommand;
const request = (data: Partial<typeof requestData> = {}) =>
  cmd('RequestVps', { ...requestData, ...data }, customer);
const stage = (s: 'creating_instance' | 'compensating' | 'starting_billing', attempt = 1) =>
  cmd('RecordProvisioningStage', { stage: s, attempt });
const chargeFirst = (chargeId = `vps-${VPS}:${H0}`) =>
  cmd('RecordFirstHourCharged', { chargeId, amount: 6849n, periodStart: H0, periodEnd: H1 });
const instance = (providerInstanceId = '123') => cmd('RecordInstanceCreated', { providerInstanceId });
const markStuck = cmd('MarkProvisioningStuck', { stage: 'waiting_for_running', reason: 'still booting' });
const retry = cmd('RetryProvisioning', { stage: 'waiting_for_running' });
const activate = (providerInstanceId = '123') =>
  cmd('ActivateVps', {
    providerInstanceId,
    ipv4: '192.0.2.10',
    billingWorkflowId: 'vps-billing-vps-1',
    billedUntil: H1,
  });
const fail = cmd('FailProvisioning', {
  stage: 'compensating',
  reason: 'provider refused',
  instanceDeleted: true,
  refunded: true,
});
const power = (action: 'boot' | 'shutdown' | 'reboot') => cmd('RequestPowerAction', { action }, customer);
const powerFailed = (action: 'boot' | 'shutdown' | 'reboot', reason = 'Linode busy.') =>
  cmd('RecordPowerActionFailed', { action, reason }, customer);
const powerActionFailed = (action: 'boot' | 'shutdown' | 'reboot', reason = 'Linode busy.'): VpsEvent => ({
  type: 'VpsPowerActionFailed',
  data: { vpsId: VPS, action, reason },
});
const billPeriod = (start: string, end: string, chargeId = `vps-${VPS}:${start}`) =>
  cmd('RecordPeriodBilled', { chargeId, amount: 6849n, periodStart: start, periodEnd: end });
const chargeFailed = (start: string, end: string) =>
  cmd('RecordPeriodChargeFailed', {
    chargeId: `vps-${VPS}:${start}`,
    amount: 6849n,
    periodStart: start,
    periodEnd: end,
  });
const suspend = cmd('SuspendVps', { debt: 6849n });
const resume = cmd('ResumeVps', {});
const requestDeletion = cmd('RequestDeletion', {}, customer);
const markDeleted = (finalCharge = 3425n, finalChargeId: string | null = `vps-${VPS}:${H2}`) =>
  cmd('MarkDeleted', { finalChargeId, finalCharge, deletedAt: '2026-01-01T02:30:00.000Z' });

// ---- events ----
const requested: VpsRequested = {
  type: 'VpsRequested',
  data: { ...requestData, hourlyPrice: '0.006849', monthlyPrice: '5.000000' },
};
const stageChanged = (
  s: 'creating_instance' | 'compensating' | 'starting_billing',
  attempt = 1,
): VpsEvent => ({
  type: 'VpsProvisioningStageChanged',
  data: { vpsId: VPS, stage: s, attempt },
});
const firstHourCharged: VpsEvent = {
  type: 'VpsFirstHourCharged',
  data: { vpsId: VPS, chargeId: `vps-${VPS}:${H0}`, amount: '0.006849', periodStart: H0, periodEnd: H1 },
};
const instanceCreated: VpsEvent = {
  type: 'VpsInstanceCreated',
  data: { vpsId: VPS, providerInstanceId: '123' },
};
const stuck: VpsEvent = {
  type: 'VpsProvisioningStuck',
  data: { vpsId: VPS, stage: 'waiting_for_running', reason: 'still booting' },
};
const retried: VpsEvent = {
  type: 'VpsProvisioningRetried',
  data: { vpsId: VPS, stage: 'waiting_for_running' },
};
const activated: VpsEvent = {
  type: 'VpsActivated',
  data: {
    vpsId: VPS,
    providerInstanceId: '123',
    ipv4: '192.0.2.10',
    billingWorkflowId: 'vps-billing-vps-1',
    billedUntil: H1,
  },
};
const failed: VpsEvent = {
  type: 'VpsProvisioningFailed',
  data: {
    vpsId: VPS,
    stage: 'compensating',
    reason: 'provider refused',
    instanceDeleted: true,
    refunded: true,
  },
};
const periodBilled = (start: string, end: string): VpsEvent => ({
  type: 'VpsPeriodBilled',
  data: {
    vpsId: VPS,
    chargeId: `vps-${VPS}:${start}`,
    amount: '0.006849',
    periodStart: start,
    periodEnd: end,
  },
});
const periodChargeFailed = (start: string, end: string): VpsEvent => ({
  type: 'VpsPeriodChargeFailed',
  data: {
    vpsId: VPS,
    chargeId: `vps-${VPS}:${start}`,
    amount: '0.006849',
    periodStart: start,
    periodEnd: end,
  },
});
const suspended: VpsEvent = {
  type: 'VpsSuspended',
  data: { vpsId: VPS, reason: 'insufficient_funds', debt: '0.006849' },
};
const resumed: VpsEvent = { type: 'VpsResumed', data: { vpsId: VPS } };
const deletionRequested: VpsEvent = { type: 'VpsDeletionRequested', data: { vpsId: VPS } };
const deleted: VpsEvent = {
  type: 'VpsDeleted',
  data: {
    vpsId: VPS,
    finalChargeId: `vps-${VPS}:${H2}`,
    finalCharge: '0.003425',
    deletedAt: '2026-01-01T02:30:00.000Z',
  },
};

const provisioning = [requested, firstHourCharged];
const stuckHistory = [...provisioning, instanceCreated, stuck];
const active = [...provisioning, instanceCreated, activated];
const suspendedHistory = [...active, periodChargeFailed(H1, H2), suspended];
const deletingActive = [...active, deletionRequested];
const deletingProvisioning = [...provisioning, deletionRequested];
const deletedHistory = [...deletingActive, deleted];
const failedHistory = [...provisioning, failed];

// ---- operator actions (platform admin) ----
const admin: CommandMetadata = metadataFor('admin-1', 'admin');
const requestRetry = (reason = 'provider fixed the region') =>
  cmd('RequestProvisioningRetry', { reason }, admin);
const requestAbort = (reason = 'region is down') => cmd('RequestProvisioningAbort', { reason }, admin);
const terminate = (refunded = true, instancesLeft = ['123'], reason = 'workflow wedged') =>
  cmd('TerminateProvisioning', { reason, refunded, instancesLeft }, admin);
const retryRequested: VpsEvent = {
  type: 'VpsProvisioningRetryRequested',
  data: { vpsId: VPS, reason: 'provider fixed the region' },
};
const abortRequested: VpsEvent = {
  type: 'VpsProvisioningAbortRequested',
  data: { vpsId: VPS, reason: 'region is down' },
};
const terminated = (refunded = true, instancesLeft = ['123']): VpsEvent => ({
  type: 'VpsProvisioningTerminated',
  data: { vpsId: VPS, reason: 'workflow wedged', refunded, instancesLeft },
});

describe('vps decider', () => {
  describe('no server', () => {
    it('RequestVps records VpsRequested with the prices as money strings', () => {
      const state = spec.given([]).when(request()).then([requested]);
      expect(state).toMatchObject({
        status: 'provisioning',
        hourlyPrice: 6849n,
        attempt: 0,
        providerInstanceId: null,
        abortRequested: false,
      });
    });

    it.each([
      ['ab', 'too short'],
      ['1web', 'starts with a digit'],
      ['web--1', 'doubled dash'],
      ['web 1', 'space'],
      ['a'.repeat(65), 'too long'],
    ])('RequestVps refuses the label %p (%s)', (label) => {
      spec.given([]).when(request({ label })).thenThrows('validation', 'invalid_label');
    });

    it('RequestVps accepts a 64-character label with dots and underscores', () => {
      const label = `a${'b._'.repeat(21)}`;
      expect(label).toHaveLength(64);
      spec
        .given([])
        .when(request({ label }))
        .then([{ ...requested, data: { ...requested.data, label } }]);
    });

    it('RequestVps refuses a zero or non-bigint price, repeated ssh keys, a blank id', () => {
      spec
        .given([])
        .when(request({ hourlyPrice: 0n }))
        .thenThrows('validation', 'invalid_amount', { field: 'hourlyPrice' });
      spec
        .given([])
        .when(request({ monthlyPrice: 5 as unknown as bigint }))
        .thenThrows('validation', 'invalid_amount', { field: 'monthlyPrice' });
      spec
        .given([])
        .when(request({ sshKeyIds: ['k', 'k'] }))
        .thenThrows('validation', 'invalid_ssh_key_ids');
      spec
        .given([])
        .when(request({ organizationId: '' }))
        .thenThrows('validation', 'invalid_organization_id');
    });

    it('RequestVps needs the public key of each ssh key id, and records them checked', () => {
      spec
        .given([])
        .when(request({ authorizedKeys: [] }))
        .thenThrows('validation', 'invalid_authorized_keys');
      spec
        .given([])
        .when(request({ authorizedKeys: ['ssh-ed25519 AAAA'] }))
        .thenThrows('validation', 'invalid_public_key');
      const state = spec
        .given([])
        .when(request({ sshKeyIds: [], authorizedKeys: [] }))
        .then([{ ...requested, data: { ...requested.data, sshKeyIds: [], authorizedKeys: [] } }]);
      expect(state).toMatchObject({ authorizedKeys: [] });
    });

    it('a server requested before keys were sent has none (VpsRequested without authorizedKeys)', () => {
      const { authorizedKeys: _none, ...older } = requested.data;
      expect(stateAfter(vpsDecider, [{ type: 'VpsRequested', data: older }])).toMatchObject({
        authorizedKeys: [],
      });
    });

    it.each<[string, VpsCommand]>([
      ['RecordProvisioningStage', stage('creating_instance')],
      ['ActivateVps', activate()],
      ['RequestPowerAction', power('boot')],
      ['RequestDeletion', requestDeletion],
      ['MarkDeleted', markDeleted()],
    ])('%s is not_found', (_name, command) => {
      spec.given([]).when(command).thenThrows('not_found', 'vps_not_found');
    });
  });

  describe('provisioning', () => {
    it('RequestVps again is a conflict', () => {
      spec.given([requested]).when(request()).thenThrows('conflict', 'vps_already_exists');
    });

    it('RecordProvisioningStage records a new stage or attempt, and nothing for the same again', () => {
      const state = spec
        .given([requested])
        .when(stage('creating_instance'))
        .then([stageChanged('creating_instance')]);
      expect(state).toMatchObject({ stage: 'creating_instance', attempt: 1 });
      spec
        .given([requested, stageChanged('creating_instance')])
        .when(stage('creating_instance'))
        .then([]);
      spec
        .given([requested, stageChanged('creating_instance')])
        .when(stage('creating_instance', 2))
        .then([stageChanged('creating_instance', 2)]);
    });

    it('RecordProvisioningStage refuses an unknown stage or attempt 0', () => {
      spec
        .given([requested])
        .when(cmd('RecordProvisioningStage', { stage: 'dancing' as never, attempt: 1 }))
        .thenThrows('validation', 'invalid_stage');
      spec.given([requested]).when(stage('creating_instance', 0)).thenThrows('validation', 'invalid_attempt');
    });

    it('RecordFirstHourCharged records once per chargeId; another chargeId is a conflict', () => {
      const state = spec.given([requested]).when(chargeFirst()).then([firstHourCharged]);
      expect(state).toMatchObject({
        billedUntil: H1,
        lastBilledAt: H0,
        chargeIds: { firstHour: `vps-${VPS}:${H0}` },
      });
      spec.given(provisioning).when(chargeFirst()).then([]);
      spec
        .given(provisioning)
        .when(chargeFirst('other'))
        .thenThrows('conflict', 'first_hour_already_charged');
    });

    it('RecordFirstHourCharged refuses a zero amount or an inverted period', () => {
      spec
        .given([requested])
        .when(cmd('RecordFirstHourCharged', { chargeId: 'c', amount: 0n, periodStart: H0, periodEnd: H1 }))
        .thenThrows('validation', 'invalid_amount');
      spec
        .given([requested])
        .when(cmd('RecordFirstHourCharged', { chargeId: 'c', amount: 1n, periodStart: H1, periodEnd: H0 }))
        .thenThrows('validation', 'invalid_period');
      spec
        .given([requested])
        .when(
          cmd('RecordFirstHourCharged', { chargeId: 'c', amount: 1n, periodStart: 'soon', periodEnd: H0 }),
        )
        .thenThrows('validation', 'invalid_instant');
    });

    it('RecordInstanceCreated is idempotent for the same id; another id is a conflict', () => {
      spec.given(provisioning).when(instance()).then([instanceCreated]);
      spec
        .given([...provisioning, instanceCreated])
        .when(instance())
        .then([]);
      spec
        .given([...provisioning, instanceCreated])
        .when(instance('999'))
        .thenThrows('conflict', 'instance_already_recorded');
    });

    it('MarkProvisioningStuck makes it stuck; RetryProvisioning records nothing', () => {
      const state = spec.given(provisioning).when(markStuck).then([stuck]);
      expect(state).toMatchObject({ status: 'stuck', failureReason: 'still booting' });
      spec.given(provisioning).when(retry).then([]);
    });

    it('ActivateVps activates with the billing workflow and billedUntil', () => {
      const state = spec
        .given([...provisioning, instanceCreated])
        .when(activate())
        .then([activated]);
      expect(state).toMatchObject({
        status: 'active',
        providerInstanceId: '123',
        ipv4: '192.0.2.10',
        billingWorkflowId: 'vps-billing-vps-1',
        billedUntil: H1,
      });
      spec.given(provisioning).when(activate()).then([activated]);
    });

    it('ActivateVps refuses another instance than the recorded one, or a bad ipv4', () => {
      spec
        .given([...provisioning, instanceCreated])
        .when(activate('999'))
        .thenThrows('conflict', 'instance_mismatch');
      spec
        .given(provisioning)
        .when(
          cmd('ActivateVps', {
            providerInstanceId: '1',
            ipv4: '999.1.1.1',
            billingWorkflowId: 'b',
            billedUntil: H1,
          }),
        )
        .thenThrows('validation', 'invalid_ipv4');
    });

    it('FailProvisioning fails it for good', () => {
      const state = spec.given(provisioning).when(fail).then([failed]);
      expect(state).toMatchObject({ status: 'failed', failureReason: 'provider refused' });
    });

    it('RequestPowerAction is a conflict (not active)', () => {
      spec.given(provisioning).when(power('reboot')).thenThrows('conflict', 'vps_not_active');
    });

    it('RecordPeriodBilled / RecordPeriodChargeFailed / SuspendVps are conflicts (not active)', () => {
      spec.given(provisioning).when(billPeriod(H1, H2)).thenThrows('conflict', 'vps_not_active');
      spec.given(provisioning).when(chargeFailed(H1, H2)).thenThrows('conflict', 'vps_not_active');
      spec.given(provisioning).when(suspend).thenThrows('conflict', 'vps_not_active');
    });

    it('ResumeVps is a conflict (not suspended)', () => {
      spec.given(provisioning).when(resume).thenThrows('conflict', 'vps_not_suspended');
    });

    it('RequestDeletion moves it to deleting; MarkDeleted before that is a conflict', () => {
      spec.given(provisioning).when(requestDeletion).then([deletionRequested]);
      spec.given(provisioning).when(markDeleted()).thenThrows('conflict', 'vps_deletion_not_requested');
    });
  });

  describe('stuck', () => {
    it('RetryProvisioning moves it back to provisioning', () => {
      const state = spec.given(stuckHistory).when(retry).then([retried]);
      expect(state).toMatchObject({ status: 'provisioning', stage: 'waiting_for_running' });
      expect(state).not.toHaveProperty('failureReason');
    });

    it('MarkProvisioningStuck again records nothing', () => {
      spec.given(stuckHistory).when(markStuck).then([]);
    });

    it('a recorded stage means it is moving again (as in the read model)', () => {
      const state = spec
        .given(stuckHistory)
        .when(stage('compensating'))
        .then([stageChanged('compensating')]);
      expect(state.status).toBe('provisioning');
    });

    it('ActivateVps, FailProvisioning and RequestDeletion are accepted', () => {
      spec.given(stuckHistory).when(activate()).then([activated]);
      spec.given(stuckHistory).when(fail).then([failed]);
      spec.given(stuckHistory).when(requestDeletion).then([deletionRequested]);
    });

    it('RequestPowerAction is a conflict', () => {
      spec.given(stuckHistory).when(power('boot')).thenThrows('conflict', 'vps_not_active');
    });
  });

  describe('active', () => {
    it('ActivateVps again with the same instance records nothing; another is a conflict', () => {
      spec.given(active).when(activate()).then([]);
      spec.given(active).when(activate('999')).thenThrows('conflict', 'instance_mismatch');
    });

    it('RecordProvisioningStage still records (starting_billing follows activation)', () => {
      const state = spec
        .given(active)
        .when(stage('starting_billing'))
        .then([stageChanged('starting_billing')]);
      expect(state.status).toBe('active');
    });

    it.each(['boot', 'shutdown', 'reboot'] as const)('RequestPowerAction %s', (action) => {
      spec
        .given(active)
        .when(power(action))
        .then([{ type: 'VpsPowerActionRequested', data: { vpsId: VPS, action } }]);
    });

    it.each(['boot', 'shutdown', 'reboot'] as const)(
      'RecordPowerActionFailed %s records the failure; the server stays active',
      (action) => {
        const state = spec
          .given([...active, { type: 'VpsPowerActionRequested', data: { vpsId: VPS, action } }])
          .when(powerFailed(action))
          .then([powerActionFailed(action)]);
        expect(state.status).toBe('active');
      },
    );

    it('RecordPowerActionFailed needs a reason and a known action', () => {
      spec.given(active).when(powerFailed('boot', '')).thenThrows('validation', 'invalid_reason');
      spec
        .given(active)
        .when(powerFailed('explode' as never))
        .thenThrows('validation', 'invalid_action');
    });

    it('RequestPowerAction refuses an unknown action', () => {
      spec
        .given(active)
        .when(power('explode' as never))
        .thenThrows('validation', 'invalid_action');
    });

    it('RecordPeriodBilled moves billedUntil; the same period again records nothing', () => {
      const state = spec
        .given(active)
        .when(billPeriod(H1, H2))
        .then([periodBilled(H1, H2)]);
      expect(state).toMatchObject({
        billedUntil: H2,
        lastBilledAt: H1,
        chargeIds: { lastPeriod: `vps-${VPS}:${H1}` },
      });
      spec
        .given([...active, periodBilled(H1, H2)])
        .when(billPeriod(H1, H2))
        .then([]);
      spec.given(active).when(billPeriod(H0, H1)).then([]); // the first hour already covers it
      spec
        .given([...active, periodBilled(H1, H2)])
        .when(billPeriod(H2, H3))
        .then([periodBilled(H2, H3)]);
    });

    it('RecordPeriodChargeFailed records the failure, once, and not for a paid period', () => {
      const state = spec
        .given(active)
        .when(chargeFailed(H1, H2))
        .then([periodChargeFailed(H1, H2)]);
      expect(state).toMatchObject({ status: 'active', billedUntil: H1 });
      spec
        .given([...active, periodChargeFailed(H1, H2)])
        .when(chargeFailed(H1, H2))
        .then([]);
      spec
        .given([...active, periodBilled(H1, H2)])
        .when(chargeFailed(H1, H2))
        .then([]);
    });

    it('SuspendVps suspends with the debt; a negative debt is refused', () => {
      const state = spec.given(active).when(suspend).then([suspended]);
      expect(state).toMatchObject({ status: 'suspended', debt: 6849n });
      spec
        .given(active)
        .when(cmd('SuspendVps', { debt: -1n }))
        .thenThrows('validation', 'invalid_amount');
    });

    it('ResumeVps records nothing', () => {
      spec.given(active).when(resume).then([]);
    });

    it('FailProvisioning and RetryProvisioning are conflicts', () => {
      spec.given(active).when(fail).thenThrows('conflict', 'vps_active');
      spec.given(active).when(retry).thenThrows('conflict', 'vps_not_stuck');
      spec.given(active).when(markStuck).thenThrows('conflict', 'vps_not_provisioning');
      spec.given(active).when(chargeFirst('other')).thenThrows('conflict', 'first_hour_already_charged');
    });

    it('RequestDeletion moves it to deleting', () => {
      spec.given(active).when(requestDeletion).then([deletionRequested]);
    });
  });

  describe('suspended', () => {
    it('RequestPowerAction is refused while suspended', () => {
      spec.given(suspendedHistory).when(power('boot')).thenThrows('conflict', 'vps_suspended');
    });

    it('RecordPowerActionFailed records a failure whose request preceded the suspension', () => {
      spec
        .given(suspendedHistory)
        .when(powerFailed('reboot'))
        .then([powerActionFailed('reboot')]);
    });

    it('SuspendVps again records nothing; ResumeVps resumes', () => {
      spec.given(suspendedHistory).when(suspend).then([]);
      const state = spec.given(suspendedHistory).when(resume).then([resumed]);
      expect(state).toMatchObject({ status: 'active' });
      expect(state).not.toHaveProperty('debt');
    });

    it('paying the unpaid period is recorded', () => {
      spec
        .given(suspendedHistory)
        .when(billPeriod(H1, H2))
        .then([periodBilled(H1, H2)]);
    });

    it('RequestDeletion moves it to deleting', () => {
      spec.given(suspendedHistory).when(requestDeletion).then([deletionRequested]);
    });

    it('WarnDeletion records the coming deletion; not on an active server', () => {
      spec
        .given(suspendedHistory)
        .when(cmd('WarnDeletion', { deleteAt: H3 }))
        .then([{ type: 'VpsDeletionWarning', data: { vpsId: VPS, deleteAt: H3 } }]);
      spec
        .given(active)
        .when(cmd('WarnDeletion', { deleteAt: H3 }))
        .then([]);
    });
  });

  describe('deleting', () => {
    it('RequestDeletion again records nothing', () => {
      spec.given(deletingActive).when(requestDeletion).then([]);
    });

    it('SuspendVps and ResumeVps are no-ops once deletion is requested (billing must not fail on them)', () => {
      spec.given(deletingActive).when(suspend).then([]);
      spec.given(deletingActive).when(resume).then([]);
      spec
        .given([...suspendedHistory, deletionRequested])
        .when(resume)
        .then([]);
      spec
        .given([...provisioning, deletionRequested])
        .when(suspend)
        .then([]);
    });

    it('a failed billing action is recorded; a deletion warning records nothing', () => {
      const failure = cmd('RecordBillingActionFailed', {
        action: 'suspend',
        reason: '400 Linode busy.',
        attempt: H2,
      });
      spec
        .given(deletingActive)
        .when(failure)
        .then([
          {
            type: 'VpsBillingActionFailed',
            data: { vpsId: VPS, action: 'suspend', reason: '400 Linode busy.', attempt: H2 },
          },
        ]);
      spec
        .given(deletingActive)
        .when(cmd('WarnDeletion', { deleteAt: H3 }))
        .then([]);
    });

    it('MarkDeleted records the final charge', () => {
      const state = spec.given(deletingActive).when(markDeleted()).then([deleted]);
      expect(state).toMatchObject({ status: 'deleted', deletedAt: '2026-01-01T02:30:00.000Z' });
    });

    it('MarkDeleted without a final charge; a charge without an id is refused', () => {
      spec
        .given(deletingProvisioning)
        .when(markDeleted(0n, null))
        .then([
          {
            type: 'VpsDeleted',
            data: {
              vpsId: VPS,
              finalChargeId: null,
              finalCharge: '0.000000',
              deletedAt: '2026-01-01T02:30:00.000Z',
            },
          },
        ]);
      spec
        .given(deletingActive)
        .when(markDeleted(5n, null))
        .thenThrows('validation', 'final_charge_id_required');
    });

    it('the provisioning workflow may still record an instance, a stage, and fail (compensation)', () => {
      spec.given(deletingProvisioning).when(instance()).then([instanceCreated]);
      spec
        .given(deletingProvisioning)
        .when(stage('compensating'))
        .then([stageChanged('compensating')]);
      spec.given(deletingProvisioning).when(markStuck).then([]);
      spec.given(deletingProvisioning).when(fail).then([failed]);
    });

    it('ActivateVps is refused once deletion was requested during provisioning', () => {
      spec.given(deletingProvisioning).when(activate()).thenThrows('conflict', 'vps_deletion_requested');
      spec.given(deletingActive).when(activate()).then([]);
    });

    it('FailProvisioning of an activated server is a conflict; power actions too; billing still records', () => {
      spec.given(deletingActive).when(fail).thenThrows('conflict', 'vps_active');
      spec.given(deletingActive).when(power('boot')).thenThrows('conflict', 'vps_not_active');
      spec.given(deletingActive).when(retry).thenThrows('conflict', 'vps_not_stuck');
      spec
        .given(deletingActive)
        .when(billPeriod(H1, H2))
        .then([periodBilled(H1, H2)]);
    });
  });

  describe('deleting: before and after activation are different states', () => {
    it('before activation the provisioning workflow owns it (cancelling); after, billing does (deleting)', () => {
      expect(stateAfter(vpsDecider, deletingProvisioning)).toMatchObject({
        status: 'cancelling',
        providerInstanceId: null,
      });
      const deleting = stateAfter(vpsDecider, deletingActive);
      expect(deleting).toMatchObject({ status: 'deleting', providerInstanceId: '123', ipv4: '192.0.2.10' });
      const deletingSuspended = stateAfter(vpsDecider, [...suspendedHistory, deletionRequested]);
      expect(deletingSuspended).toMatchObject({ status: 'deleting', providerInstanceId: '123' });
      expect(deletingSuspended).not.toHaveProperty('debt');
    });

    it('RecordPowerActionFailed: recorded after activation, a conflict before it', () => {
      spec
        .given(deletingActive)
        .when(powerFailed('shutdown'))
        .then([powerActionFailed('shutdown')]);
      spec.given(deletingProvisioning).when(powerFailed('shutdown')).thenThrows('conflict', 'vps_not_active');
    });

    it('conflicts name both as deleting, as the API shows them', () => {
      spec
        .given(deletingProvisioning)
        .when(power('boot'))
        .thenThrows('conflict', 'vps_not_active', { status: 'deleting' });
    });
  });

  describe('deleted', () => {
    it('RequestDeletion and MarkDeleted again record nothing', () => {
      spec.given(deletedHistory).when(requestDeletion).then([]);
      spec.given(deletedHistory).when(markDeleted()).then([]);
    });

    it('late workflow writes: a stage records nothing; billing and power are conflicts', () => {
      spec.given(deletedHistory).when(stage('starting_billing')).then([]);
      spec.given(deletedHistory).when(billPeriod(H2, H3)).thenThrows('conflict', 'vps_not_active');
      spec.given(deletedHistory).when(billPeriod(H0, H1)).then([]);
      spec.given(deletedHistory).when(power('boot')).thenThrows('conflict', 'vps_not_active');
      spec.given(deletedHistory).when(activate()).thenThrows('conflict', 'vps_deleted');
      spec.given(deletedHistory).when(resume).then([]);
      spec.given(deletedHistory).when(request()).thenThrows('conflict', 'vps_already_exists');
    });
  });

  describe('failed', () => {
    it('FailProvisioning again records nothing', () => {
      spec.given(failedHistory).when(fail).then([]);
    });

    it('RequestDeletion of a server deleted while provisioning (then compensated) records nothing', () => {
      const state = spec
        .given([...deletingProvisioning, failed])
        .when(requestDeletion)
        .then([]);
      expect(state).toMatchObject({ status: 'failed', deletionRequested: true });
    });

    it('RequestDeletion is a conflict; so are activation and power actions', () => {
      spec.given(failedHistory).when(requestDeletion).thenThrows('conflict', 'vps_failed');
      spec.given(failedHistory).when(activate()).thenThrows('conflict', 'vps_failed');
      spec.given(failedHistory).when(power('boot')).thenThrows('conflict', 'vps_not_active');
      spec.given(failedHistory).when(retry).thenThrows('conflict', 'vps_not_stuck');
      spec.given(failedHistory).when(markDeleted()).thenThrows('conflict', 'vps_deletion_not_requested');
    });
  });

  describe('failed: staff refund the first hour', () => {
    const refund = (reason = 'charge committed, its activity failed', amount = 6849n) =>
      cmd('RefundFirstHour', { chargeId: `vps-${VPS}:${H0}`, amount, reason }, admin);
    const refunded: VpsEvent = {
      type: 'VpsFirstHourRefunded',
      data: {
        vpsId: VPS,
        chargeId: `vps-${VPS}:${H0}`,
        amount: '0.006849',
        reason: 'charge committed, its activity failed',
      },
    };

    it('RefundFirstHour of a failed (or terminated) server records the refund; it stays failed', () => {
      const state = spec.given(failedHistory).when(refund()).then([refunded]);
      expect(state.status).toBe('failed');
      spec
        .given([...provisioning, terminated()])
        .when(refund())
        .then([refunded]);
    });

    it('RefundFirstHour needs a reason and a positive amount', () => {
      spec.given(failedHistory).when(refund('')).thenThrows('validation', 'invalid_reason');
      spec.given(failedHistory).when(refund('r', 0n)).thenThrows('validation', 'invalid_amount');
    });

    it.each<[string, VpsEvent[]]>([
      ['provisioning', provisioning],
      ['stuck', stuckHistory],
      ['active', active],
      ['suspended', suspendedHistory],
      ['deleting', deletingActive],
      ['cancelling', deletingProvisioning],
      ['deleted', deletedHistory],
    ])('RefundFirstHour of a %s server is a conflict', (_name, history) => {
      spec.given(history).when(refund()).thenThrows('conflict', 'vps_not_failed');
    });

    it('RefundFirstHour of no server is not_found', () => {
      spec.given([]).when(refund()).thenThrows('not_found', 'vps_not_found');
    });
  });

  describe('operations (rename, reverse DNS)', () => {
    const T = '2026-01-01T00:00:00.000Z';
    const rename = (label = 'web-2', operationId = 'op-1') =>
      cmd('RequestRename', { operationId, workflowId: `vps-rename-${operationId}`, label }, customer);
    const reverseDns = (
      hostname: string | null = 'mail.example.com',
      ipv4 = '192.0.2.10',
      operationId = 'op-2',
    ) =>
      cmd(
        'RequestReverseDns',
        { operationId, workflowId: `vps-reverse-dns-${operationId}`, ipv4, hostname },
        customer,
      );
    const complete = (operationId = 'op-1') => cmd('CompleteOperation', { operationId });
    const failOperation = (operationId = 'op-1', reason = 'Linode: label taken') =>
      cmd('FailOperation', { operationId, reason });
    const renameSpec = { kind: 'rename' as const, label: 'web-2', previousLabel: 'web-1' };
    const dnsSpec = {
      kind: 'reverse_dns' as const,
      ipv4: '192.0.2.10',
      hostname: 'mail.example.com',
      previousHostname: null,
    };
    const renameStarted: VpsEvent = {
      type: 'VpsOperationStarted',
      data: {
        vpsId: VPS,
        operationId: 'op-1',
        workflowId: 'vps-rename-op-1',
        requestedAt: T,
        operation: renameSpec,
      },
    };
    const dnsStarted: VpsEvent = {
      type: 'VpsOperationStarted',
      data: {
        vpsId: VPS,
        operationId: 'op-2',
        workflowId: 'vps-reverse-dns-op-2',
        requestedAt: T,
        operation: dnsSpec,
      },
    };
    const renameCompleted: VpsEvent = {
      type: 'VpsOperationCompleted',
      data: { vpsId: VPS, operationId: 'op-1', operation: renameSpec },
    };
    const dnsCompleted: VpsEvent = {
      type: 'VpsOperationCompleted',
      data: { vpsId: VPS, operationId: 'op-2', operation: dnsSpec },
    };
    const renameFailed: VpsEvent = {
      type: 'VpsOperationFailed',
      data: { vpsId: VPS, operationId: 'op-1', operation: renameSpec, reason: 'Linode: label taken' },
    };

    describe('active, no operation in progress', () => {
      it('RequestRename starts a rename: the label changes only when it completes', () => {
        const state = spec.given(active).when(rename()).then([renameStarted]);
        expect(state).toMatchObject({
          status: 'active',
          label: 'web-1',
          operation: { kind: 'rename', label: 'web-2', operationId: 'op-1', workflowId: 'vps-rename-op-1' },
        });
        const renamed = stateAfter(vpsDecider, [...active, renameStarted, renameCompleted]);
        expect(renamed).toMatchObject({ label: 'web-2', operation: null });
      });

      it('RequestRename checks the label as on creation', () => {
        spec.given(active).when(rename('web--2')).thenThrows('validation', 'invalid_label');
        spec.given(active).when(rename('1web')).thenThrows('validation', 'invalid_label');
      });

      it('RequestReverseDns starts a reverse DNS change of the server’s address, host name lower-cased', () => {
        spec.given(active).when(reverseDns('Mail.Example.COM.')).then([dnsStarted]);
        const state = stateAfter(vpsDecider, [...active, dnsStarted, dnsCompleted]);
        expect(state).toMatchObject({ reverseDns: 'mail.example.com', operation: null });
        // Back to the provider's default.
        spec
          .given([...active, dnsStarted, dnsCompleted])
          .when(reverseDns(null))
          .then([
            {
              ...dnsStarted,
              data: {
                ...dnsStarted.data,
                operation: { ...dnsSpec, hostname: null, previousHostname: 'mail.example.com' },
              },
            } as VpsEvent,
          ]);
      });

      it.each([
        ['localhost', 'one label'],
        ['-mail.example.com', 'a label starting with a dash'],
        ['mail..example.com', 'an empty label'],
        [`${'a'.repeat(64)}.example.com`, 'a label over 63 characters'],
        [`${'abcdefghi.'.repeat(26)}com`, 'over 253 characters'],
        ['mail.example.123', 'a numeric top-level label'],
        ['mail_1.example.com', 'an underscore'],
      ])('RequestReverseDns refuses %p (%s)', (hostname) => {
        spec.given(active).when(reverseDns(hostname)).thenThrows('validation', 'invalid_hostname');
      });

      it('RequestReverseDns refuses an address that is not the server’s', () => {
        spec
          .given(active)
          .when(reverseDns('mail.example.com', '192.0.2.99'))
          .thenThrows('validation', 'not_server_address', { field: 'ipv4' });
        spec
          .given(active)
          .when(reverseDns('mail.example.com', '999.0.2.10'))
          .thenThrows('validation', 'invalid_ipv4');
      });

      it('CompleteOperation and FailOperation of no running operation record nothing (a repeated report)', () => {
        spec.given(active).when(complete()).then([]);
        spec
          .given([...active, renameStarted, renameCompleted])
          .when(complete())
          .then([]);
        spec
          .given([...active, renameStarted, renameCompleted])
          .when(failOperation())
          .then([]);
      });
    });

    describe('active, an operation in progress', () => {
      const renaming = [...active, renameStarted];

      it('refuses another operation: one decides, the other gets operation_in_progress', () => {
        spec
          .given(renaming)
          .when(reverseDns())
          .thenThrows('conflict', 'operation_in_progress', { operationId: 'op-1', operation: 'rename' });
        spec.given(renaming).when(rename('web-3', 'op-9')).thenThrows('conflict', 'operation_in_progress');
      });

      it('records nothing for the same request again (its caller starts the same workflow again)', () => {
        spec.given(renaming).when(rename('web-2', 'op-other')).then([]);
      });

      it('CompleteOperation completes it with what was asked; another operation id records nothing', () => {
        spec.given(renaming).when(complete()).then([renameCompleted]);
        spec.given(renaming).when(complete('op-other')).then([]);
      });

      it('FailOperation ends it with the reason and leaves the label; a reason is required', () => {
        const state = spec.given(renaming).when(failOperation()).then([renameFailed]);
        expect(state).toMatchObject({ label: 'web-1', operation: null });
        spec.given(renaming).when(failOperation('op-1', '')).thenThrows('validation', 'invalid_reason');
      });

      it('power actions and the deletion are not operations: they go on', () => {
        spec
          .given(renaming)
          .when(power('reboot'))
          .then([{ type: 'VpsPowerActionRequested', data: { vpsId: VPS, action: 'reboot' } }]);
        const deleting = spec.given(renaming).when(requestDeletion).then([deletionRequested]);
        expect(deleting).toMatchObject({ status: 'deleting', operation: { operationId: 'op-1' } });
      });

      it('billing may suspend the server meanwhile: the operation still reports its end', () => {
        const state = stateAfter(vpsDecider, [...renaming, periodChargeFailed(H1, H2), suspended]);
        expect(state).toMatchObject({ status: 'suspended', operation: { operationId: 'op-1' } });
        spec
          .given([...renaming, periodChargeFailed(H1, H2), suspended])
          .when(complete())
          .then([renameCompleted]);
      });
    });

    describe('a deleted server whose operation was running', () => {
      it('keeps the operation until its workflow reports, and records the report', () => {
        const history = [...active, renameStarted, deletionRequested, deleted];
        expect(stateAfter(vpsDecider, history)).toMatchObject({
          status: 'deleted',
          operation: { operationId: 'op-1' },
        });
        spec.given(history).when(failOperation()).then([renameFailed]);
      });
    });

    describe('not active', () => {
      it('suspended: vps_suspended', () => {
        spec.given(suspendedHistory).when(rename()).thenThrows('conflict', 'vps_suspended');
        spec.given(suspendedHistory).when(reverseDns()).thenThrows('conflict', 'vps_suspended');
      });

      it.each<[string, VpsEvent[]]>([
        ['provisioning', provisioning],
        ['stuck', stuckHistory],
        ['deleting', deletingActive],
        ['deleting before activation', deletingProvisioning],
        ['deleted', deletedHistory],
        ['failed', failedHistory],
      ])('%s: vps_not_active', (_status, history) => {
        spec.given(history).when(rename()).thenThrows('conflict', 'vps_not_active');
        spec.given(history).when(reverseDns()).thenThrows('conflict', 'vps_not_active');
      });

      it('no server: vps_not_found; reports of an operation on a server that never had one record nothing', () => {
        spec.given([]).when(rename()).thenThrows('not_found', 'vps_not_found');
        spec.given(provisioning).when(complete()).then([]);
      });
    });
  });

  describe('operations: rebuild, resize, backups (issue 15)', () => {
    const T = '2026-01-01T00:00:00.000Z';
    const ids = (operationId: string, kind: string) => ({
      operationId,
      workflowId: `vps-${kind}-${operationId}`,
    });
    const rebuild = (data: Partial<Extract<VpsCommand, { type: 'RequestRebuild' }>['data']> = {}) =>
      cmd(
        'RequestRebuild',
        {
          ...ids('op-r', 'rebuild'),
          image: 'linode/debian12',
          sshKeyIds: ['key-2'],
          authorizedKeys: [SAMPLE_SSH_KEYS.ed25519.publicKey],
          encryptedRootPassword: 'iv.tag.new',
          rootLogin: 'keys',
          ...data,
        },
        customer,
      );
    const bigPlan = {
      planId: 'plan-2',
      providerPlanId: 'g6-standard-1',
      baseMonthlyPrice: 10_000_000n,
      markup: 2_000_000n,
      backupUpcharge: 2_500_000n,
      diskMb: 51_200,
    };
    const resize = (plan: Partial<typeof bigPlan> = {}, currentDiskMb = 25_600, operationId = 'op-z') =>
      cmd(
        'RequestResize',
        { ...ids(operationId, 'resize'), plan: { ...bigPlan, ...plan }, currentDiskMb },
        customer,
      );
    const backups = (enabled: boolean, planBackupUpcharge = 2_000_000n, operationId = 'op-b') =>
      cmd('RequestBackups', { ...ids(operationId, 'backups'), enabled, planBackupUpcharge }, customer);
    const complete = (operationId: string) => cmd('CompleteOperation', { operationId });
    const started = (operationId: string, kind: string, operation: object): VpsEvent =>
      ({
        type: 'VpsOperationStarted',
        data: { vpsId: VPS, ...ids(operationId, kind), requestedAt: T, operation },
      }) as VpsEvent;
    const completed = (operationId: string, operation: object): VpsEvent =>
      ({ type: 'VpsOperationCompleted', data: { vpsId: VPS, operationId, operation } }) as VpsEvent;
    const rebuildSpec = {
      kind: 'rebuild',
      image: 'linode/debian12',
      previousImage: 'linode/ubuntu24.04',
      sshKeyIds: ['key-2'],
      authorizedKeys: [SAMPLE_SSH_KEYS.ed25519.publicKey],
      encryptedRootPassword: 'iv.tag.new',
      rootLogin: 'keys',
    };
    const resizeSpec = {
      kind: 'resize',
      planId: 'plan-2',
      providerPlanId: 'g6-standard-1',
      hourlyPrice: '0.016438', // 12.000000 / 730
      monthlyPrice: '12.000000',
      previousPlanId: 'plan-1',
      previousProviderPlanId: 'g6-nanode-1',
      previousHourlyPrice: '0.006849',
      previousMonthlyPrice: '5.000000',
      backupUpcharge: '0.000000',
    };
    const backupsOnSpec = {
      kind: 'backups',
      enabled: true,
      hourlyPrice: '0.009589', // 7.000000 / 730
      monthlyPrice: '7.000000',
      previousHourlyPrice: '0.006849',
      previousMonthlyPrice: '5.000000',
      backupUpcharge: '2.000000',
    };

    describe('active, no operation in progress', () => {
      it('RequestRebuild starts a rebuild: image, keys and password change only when it completes', () => {
        const state = spec
          .given(active)
          .when(rebuild())
          .then([started('op-r', 'rebuild', rebuildSpec)]);
        expect(state).toMatchObject({ image: 'linode/ubuntu24.04', encryptedRootPassword: 'iv.tag.data' });
        const rebuilt = stateAfter(vpsDecider, [
          ...active,
          started('op-r', 'rebuild', rebuildSpec),
          completed('op-r', rebuildSpec),
        ]);
        expect(rebuilt).toMatchObject({
          image: 'linode/debian12',
          sshKeyIds: ['key-2'],
          encryptedRootPassword: 'iv.tag.new',
          operation: null,
        });
      });

      it('RequestRebuild refuses a generated password without any key (root could never log in)', () => {
        spec
          .given(active)
          .when(rebuild({ sshKeyIds: [], authorizedKeys: [] }))
          .thenThrows('validation', 'no_root_login', { field: 'sshKeyIds' });
        // With the customer's password, keys are optional.
        spec
          .given(active)
          .when(rebuild({ sshKeyIds: [], authorizedKeys: [], rootLogin: 'password' }))
          .then([
            started('op-r', 'rebuild', {
              ...rebuildSpec,
              sshKeyIds: [],
              authorizedKeys: [],
              rootLogin: 'password',
            }),
          ]);
      });

      it('RequestResize prices the new plan now; the server moves to it only when it completes', () => {
        const state = spec
          .given(active)
          .when(resize())
          .then([started('op-z', 'resize', resizeSpec)]);
        expect(state).toMatchObject({ planId: 'plan-1', hourlyPrice: 6849n });
        const resized = stateAfter(vpsDecider, [
          ...active,
          started('op-z', 'resize', resizeSpec),
          completed('op-z', resizeSpec),
        ]);
        expect(resized).toMatchObject({
          planId: 'plan-2',
          providerPlanId: 'g6-standard-1',
          hourlyPrice: 16438n,
          monthlyPrice: 12_000_000n,
        });
      });

      it('RequestResize refuses the same plan and a smaller disk', () => {
        spec
          .given(active)
          .when(resize({ planId: 'plan-1' }))
          .thenThrows('validation', 'same_plan');
        spec
          .given(active)
          .when(resize({ diskMb: 25_599 }))
          .thenThrows('validation', 'disk_too_small', { field: 'planId' });
        // The same disk is no shrink.
        spec
          .given(active)
          .when(resize({ diskMb: 25_600 }))
          .then([started('op-z', 'resize', resizeSpec)]);
      });

      it('RequestBackups adds the plan’s upcharge to the server’s own price; disabling removes what was added', () => {
        const on = [...active, started('op-b', 'backups', backupsOnSpec), completed('op-b', backupsOnSpec)];
        spec
          .given(active)
          .when(backups(true))
          .then([started('op-b', 'backups', backupsOnSpec)]);
        expect(stateAfter(vpsDecider, on)).toMatchObject({
          backups: true,
          hourlyPrice: 9589n,
          monthlyPrice: 7_000_000n,
          backupUpcharge: 2_000_000n,
        });
        // Staff raised the plan's upcharge meanwhile: the server's 2.00 comes off, not the plan's 3.00.
        spec
          .given(on)
          .when(backups(false, 3_000_000n, 'op-c'))
          .then([
            started('op-c', 'backups', {
              kind: 'backups',
              enabled: false,
              hourlyPrice: '0.006849',
              monthlyPrice: '5.000000',
              previousHourlyPrice: '0.009589',
              previousMonthlyPrice: '7.000000',
              backupUpcharge: '2.000000',
            }),
          ]);
      });

      it('RequestBackups refuses what is already so', () => {
        spec.given(active).when(backups(false)).thenThrows('conflict', 'backups_not_enabled');
        const on = [...active, started('op-b', 'backups', backupsOnSpec), completed('op-b', backupsOnSpec)];
        spec
          .given(on)
          .when(backups(true, 2_000_000n, 'op-c'))
          .thenThrows('conflict', 'backups_already_enabled');
      });

      it('a resize of a server with backups keeps them at the new plan’s upcharge', () => {
        const on = [...active, started('op-b', 'backups', backupsOnSpec), completed('op-b', backupsOnSpec)];
        spec
          .given(on)
          .when(resize())
          .then([
            started('op-z', 'resize', {
              ...resizeSpec,
              hourlyPrice: '0.019863', // 14.500000 / 730
              monthlyPrice: '14.500000',
              previousHourlyPrice: '0.009589',
              previousMonthlyPrice: '7.000000',
              backupUpcharge: '2.500000',
            }),
          ]);
      });
    });

    describe('active, an operation in progress', () => {
      it('one at a time: another is refused; the same request again records nothing', () => {
        const resizing = [...active, started('op-z', 'resize', resizeSpec)];
        spec
          .given(resizing)
          .when(rebuild())
          .thenThrows('conflict', 'operation_in_progress', { operation: 'resize' });
        spec.given(resizing).when(backups(true)).thenThrows('conflict', 'operation_in_progress');
        spec
          .given(resizing)
          .when(resize({}, 25_600, 'op-again'))
          .then([]);
        spec
          .given(resizing)
          .when(complete('op-z'))
          .then([completed('op-z', resizeSpec)]);
      });
    });

    describe('not active', () => {
      it('suspended: vps_suspended', () => {
        spec.given(suspendedHistory).when(resize()).thenThrows('conflict', 'vps_suspended');
        spec.given(suspendedHistory).when(rebuild()).thenThrows('conflict', 'vps_suspended');
        spec.given(suspendedHistory).when(backups(true)).thenThrows('conflict', 'vps_suspended');
      });

      it.each<[string, VpsEvent[]]>([
        ['provisioning', provisioning],
        ['deleting', deletingActive],
        ['deleted', deletedHistory],
        ['failed', failedHistory],
      ])('%s: vps_not_active', (_status, history) => {
        spec.given(history).when(resize()).thenThrows('conflict', 'vps_not_active');
        spec.given(history).when(rebuild()).thenThrows('conflict', 'vps_not_active');
        spec.given(history).when(backups(true)).thenThrows('conflict', 'vps_not_active');
      });
    });
  });

  describe('operator actions', () => {
    describe('no server', () => {
      it.each<[string, VpsCommand]>([
        ['RequestProvisioningRetry', requestRetry()],
        ['RequestProvisioningAbort', requestAbort()],
        ['TerminateProvisioning', terminate()],
      ])('%s is not_found', (_name, command) => {
        spec.given([]).when(command).thenThrows('not_found', 'vps_not_found');
      });
    });

    describe('provisioning', () => {
      it('RequestProvisioningRetry is a conflict: only a stuck server is retried', () => {
        spec.given(provisioning).when(requestRetry()).thenThrows('conflict', 'vps_not_stuck', {
          vpsId: VPS,
          status: 'provisioning',
        });
      });

      it('RequestProvisioningAbort records the request and changes nothing else', () => {
        const state = spec.given(provisioning).when(requestAbort()).then([abortRequested]);
        expect(state).toEqual({ ...stateAfter(vpsDecider, provisioning), abortRequested: true });
      });

      it('RequestProvisioningAbort again records nothing: an abort is final (the caller signals again)', () => {
        spec
          .given([...provisioning, abortRequested])
          .when(requestAbort('another reason'))
          .then([]);
      });

      it('an abort requested stays requested when the server becomes stuck', () => {
        spec
          .given([...provisioning, abortRequested, instanceCreated, stuck])
          .when(requestAbort())
          .then([]);
      });

      it('TerminateProvisioning fails the server with the reason', () => {
        const state = spec.given(provisioning).when(terminate()).then([terminated()]);
        expect(state).toMatchObject({ status: 'failed', failureReason: 'workflow wedged' });
      });

      it('the reason is required and trimmed; instancesLeft are ids, deduplicated', () => {
        spec
          .given(provisioning)
          .when(requestAbort('  '))
          .thenThrows('validation', 'invalid_reason', { field: 'reason' });
        spec
          .given(provisioning)
          .when(terminate(true, [], ''))
          .thenThrows('validation', 'invalid_reason', { field: 'reason' });
        spec
          .given(provisioning)
          .when(terminate(false, ['7', '7', '8'], ' workflow wedged '))
          .then([terminated(false, ['7', '8'])]);
        spec
          .given(provisioning)
          .when(terminate(false, [''] as string[]))
          .thenThrows('validation', 'invalid_instances_left');
        spec
          .given(provisioning)
          .when(
            cmd(
              'TerminateProvisioning',
              { reason: 'x', refunded: 'yes' as unknown as boolean, instancesLeft: [] },
              admin,
            ),
          )
          .thenThrows('validation', 'invalid_refunded');
      });
    });

    describe('stuck', () => {
      it('RequestProvisioningRetry records the request; the server stays stuck until the workflow retries', () => {
        const state = spec.given(stuckHistory).when(requestRetry()).then([retryRequested]);
        expect(state).toMatchObject({ status: 'stuck', failureReason: 'still booting' });
        expect(stateAfter(vpsDecider, [...stuckHistory, retryRequested, retried]).status).toBe(
          'provisioning',
        );
      });

      it('RequestProvisioningRetry again before the workflow retried records nothing (the caller signals again)', () => {
        spec
          .given([...stuckHistory, retryRequested])
          .when(requestRetry('again'))
          .then([]);
      });

      it('stuck again after a retry: a new retry request is recorded', () => {
        spec
          .given([...stuckHistory, retryRequested, retried, stuck])
          .when(requestRetry())
          .then([retryRequested]);
      });

      it('RequestProvisioningAbort records the request', () => {
        const state = spec.given(stuckHistory).when(requestAbort()).then([abortRequested]);
        expect(state.status).toBe('stuck');
      });

      it('TerminateProvisioning fails it, recording the refund and the instances left', () => {
        const state = spec
          .given(stuckHistory)
          .when(terminate(true, ['123']))
          .then([terminated(true, ['123'])]);
        expect(state).toMatchObject({ status: 'failed', failureReason: 'workflow wedged' });
      });

      it('after a retry was requested and done, another retry is a conflict', () => {
        spec
          .given([...stuckHistory, retryRequested, retried])
          .when(requestRetry())
          .thenThrows('conflict', 'vps_not_stuck');
      });
    });

    describe('deleting', () => {
      it('before activation: terminate is accepted; retry and abort are conflicts (the deletion compensates)', () => {
        spec
          .given(deletingProvisioning)
          .when(terminate(false, []))
          .then([terminated(false, [])]);
        spec.given(deletingProvisioning).when(requestRetry()).thenThrows('conflict', 'vps_not_stuck');
        spec
          .given(deletingProvisioning)
          .when(requestAbort())
          .thenThrows('conflict', 'vps_deletion_requested');
      });

      it('after activation: every operator action on provisioning is a conflict', () => {
        spec.given(deletingActive).when(terminate()).thenThrows('conflict', 'vps_active');
        spec.given(deletingActive).when(requestRetry()).thenThrows('conflict', 'vps_not_stuck');
        spec.given(deletingActive).when(requestAbort()).thenThrows('conflict', 'vps_deletion_requested');
      });
    });

    describe.each([
      ['active', active],
      ['suspended', suspendedHistory],
      ['failed', failedHistory],
      ['deleted', deletedHistory],
    ])('%s', (status, history) => {
      it('retry, abort and terminate are conflicts naming the status', () => {
        spec.given(history).when(requestRetry()).thenThrows('conflict', 'vps_not_stuck', { status });
        spec.given(history).when(requestAbort()).thenThrows('conflict', 'vps_not_provisioning', { status });
        spec.given(history).when(terminate()).thenThrows('conflict', 'vps_not_provisioning', { status });
      });
    });

    describe('failed by termination', () => {
      it('terminating again is a conflict; a late stage write from the workflow records nothing', () => {
        const history = [...stuckHistory, terminated()];
        spec.given(history).when(terminate()).thenThrows('conflict', 'vps_not_provisioning');
        spec.given(history).when(stage('compensating')).then([]);
        spec.given(history).when(fail).then([]);
      });
    });
  });

  it('a whole life folds to the expected state', () => {
    const state = stateAfter(vpsDecider, [
      ...active,
      periodBilled(H1, H2),
      periodChargeFailed(H2, H3),
      suspended,
      resumed,
      deletionRequested,
      deleted,
    ]);
    expect(state).toMatchObject({
      status: 'deleted',
      billedUntil: H2,
      providerInstanceId: '123',
      finalChargeId: `vps-${VPS}:${H2}`,
      chargeIds: {
        firstHour: `vps-${VPS}:${H0}`,
        lastPeriod: `vps-${VPS}:${H1}`,
        lastFailed: `vps-${VPS}:${H2}`,
      },
    });
  });
});
