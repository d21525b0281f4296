import { formatMoney, MAX_MONEY_MICROS } from '../money/money';
import { canonicalInstant } from '../catalog/pricing';
import { DomainError } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { parseSshPublicKey } from '../ssh-key/ssh-public-key';
import type { ProvisioningStage, VpsOperationKind, VpsPowerAction } from './vps.events';

export const VPS_PROVISIONING_STAGES: readonly ProvisioningStage[] = [
  'charging_first_hour',
  'creating_instance',
  'waiting_for_running',
  'recording_active',
  'starting_billing',
  'compensating',
];
export const VPS_POWER_ACTIONS: readonly VpsPowerAction[] = ['boot', 'shutdown', 'reboot'];
/** Every kind of operation (VpsOperationSpec); each has its own workflow (VPS_OPERATION_WORKFLOW_TYPES). */
export const VPS_OPERATION_KINDS = [
  'rename',
  'reverse_dns',
  // ---- rebuild, resize, backups (issue 15) ----
  'rebuild',
  'resize',
  'backups',
] as const satisfies readonly VpsOperationKind[];

export function isVpsOperationKind(value: unknown): value is VpsOperationKind {
  return typeof value === 'string' && (VPS_OPERATION_KINDS as readonly string[]).includes(value);
}
/** Linode's label rules: 3–64 characters, starts with a letter; letters, digits, '-', '_', '.'; no '--', '__', '..'. */
export const VPS_LABEL_PATTERN = /^[a-zA-Z](?:(?!--|__|\.\.)[a-zA-Z0-9_.-]){2,63}$/;
export const MAX_VPS_SSH_KEYS = 50;
export const MAX_VPS_REASON_LENGTH = 1000;
/** Provider instance ids listed in VpsProvisioningTerminated (a server has one; more means leaks). */
export const MAX_VPS_INSTANCES_LEFT = 100;

export function invalid(reason: string, field: string, message: string): DomainError {
  return new DomainError('validation', reason, message, { field });
}

export function requireVpsLabel(value: unknown): string {
  if (typeof value !== 'string' || !VPS_LABEL_PATTERN.test(value)) {
    throw invalid(
      'invalid_label',
      'label',
      'label must be 3 to 64 characters, start with a letter, use only letters, digits, "-", "_" and "." and have no "--", "__" or ".."',
    );
  }
  return value;
}

export function requireStage(value: unknown): ProvisioningStage {
  if (typeof value !== 'string' || !(VPS_PROVISIONING_STAGES as readonly string[]).includes(value)) {
    throw invalid('invalid_stage', 'stage', `stage must be one of ${VPS_PROVISIONING_STAGES.join(', ')}`);
  }
  return value as ProvisioningStage;
}

export function requireAttempt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid('invalid_attempt', 'attempt', 'attempt must be a positive integer');
  }
  return value;
}

export function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`invalid_${field}`, field, `${field} must be a boolean`);
  return value;
}

/** bigint micros in [min, MAX_MONEY_MICROS]. */
export function requireMicros(value: unknown, field: string, min: bigint): bigint {
  if (typeof value !== 'bigint' || value < min || value > MAX_MONEY_MICROS) {
    throw new DomainError(
      'validation',
      'invalid_amount',
      `${field} must be a bigint of micro-dollars of at least ${formatMoney(min)}`,
      { field },
    );
  }
  return value;
}

export const requireReason = (value: unknown) =>
  requireText(value, 'reason', 'invalid_reason', MAX_VPS_REASON_LENGTH);

export function requireIpv4(value: unknown): string {
  const valid =
    typeof value === 'string' &&
    /^\d{1,3}(\.\d{1,3}){3}$/.test(value) &&
    value.split('.').every((octet) => Number(octet) <= 255);
  if (!valid) throw invalid('invalid_ipv4', 'ipv4', 'ipv4 must be a dotted IPv4 address');
  return value as string;
}

/** RFC 1123 host names, as reverse DNS takes them: 253 characters at most, labels of 1 to 63. */
export const MAX_HOSTNAME_LENGTH = 253;
const HOSTNAME_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A fully qualified host name (at least two labels, a top-level label that is not all digits), lower-cased, without
 * a final dot.
 */
export function requireHostname(value: unknown): string {
  const fail = () =>
    invalid(
      'invalid_hostname',
      'hostname',
      'hostname must be a fully qualified host name such as "mail.example.com" (letters, digits and "-", labels of 1 to 63 characters)',
    );
  if (typeof value !== 'string') throw fail();
  const name = value.trim().toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (
    name.length === 0 ||
    name.length > MAX_HOSTNAME_LENGTH ||
    labels.length < 2 ||
    !labels.every((label) => HOSTNAME_LABEL.test(label)) ||
    /^[0-9]+$/.test(labels[labels.length - 1])
  ) {
    throw fail();
  }
  return name;
}

export function requireSshKeyIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_VPS_SSH_KEYS) {
    throw invalid('invalid_ssh_key_ids', 'sshKeyIds', `sshKeyIds must be at most ${MAX_VPS_SSH_KEYS} ids`);
  }
  const ids = value.map((id) => requireId(id, 'sshKeyIds'));
  if (new Set(ids).size !== ids.length) {
    throw invalid('invalid_ssh_key_ids', 'sshKeyIds', 'sshKeyIds must not repeat an id');
  }
  return ids;
}

/** Each one line of an authorized_keys file, one per id of sshKeyIds. */
export function requireAuthorizedKeys(value: unknown, sshKeyIds: readonly string[]): string[] {
  if (!Array.isArray(value) || value.length !== sshKeyIds.length) {
    throw invalid(
      'invalid_authorized_keys',
      'authorizedKeys',
      'authorizedKeys must give the public key of each of sshKeyIds',
    );
  }
  return value.map((line) => parseSshPublicKey(line).text);
}

export function requireInstanceIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_VPS_INSTANCES_LEFT) {
    throw invalid(
      'invalid_instances_left',
      'instancesLeft',
      `instancesLeft must be a list of at most ${MAX_VPS_INSTANCES_LEFT} provider instance ids`,
    );
  }
  return [...new Set(value.map((id) => requireId(id, 'instancesLeft')))];
}

interface ChargeData {
  chargeId: string;
  amount: bigint;
  periodStart: string;
  periodEnd: string;
}

/** A charged period: positive amount, canonical instants, start before end. */
export function requireCharge(data: ChargeData): {
  chargeId: string;
  amount: bigint;
  periodStart: string;
  periodEnd: string;
} {
  const chargeId = requireId(data.chargeId, 'chargeId');
  const amount = requireMicros(data.amount, 'amount', 1n);
  const periodStart = canonicalInstant(data.periodStart, 'periodStart');
  const periodEnd = canonicalInstant(data.periodEnd, 'periodEnd');
  if (Date.parse(periodEnd) <= Date.parse(periodStart)) {
    throw invalid('invalid_period', 'periodEnd', 'periodEnd must be after periodStart');
  }
  return { chargeId, amount, periodStart, periodEnd };
}

export function requirePowerAction(value: unknown): VpsPowerAction {
  if (typeof value !== 'string' || !(VPS_POWER_ACTIONS as readonly string[]).includes(value)) {
    throw invalid('invalid_action', 'action', `action must be one of ${VPS_POWER_ACTIONS.join(', ')}`);
  }
  return value as VpsPowerAction;
}

// ---- rebuild, resize, backups (issue 15) ----

/** A provider disk size in MB (whole, positive). */
export function requireDiskMb(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid('invalid_disk', field, `${field} must be a whole number of megabytes`);
  }
  return value;
}

export function requireRootLogin(value: unknown): 'password' | 'keys' {
  if (value !== 'password' && value !== 'keys') {
    throw invalid('invalid_root_login', 'rootLogin', "rootLogin must be 'password' or 'keys'");
  }
  return value;
}
