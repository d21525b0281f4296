/**
 * Request validation of the simulator, with Linode's own error messages: bodies (size, JSON), page parameters,
 * the create body, power-action bodies, instance ids and /__sim/faults specs. Answers and requests are checked
 * against Linode's published OpenAPI spec separately, in tests (openapi-validator.ts).
 */
import { SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from './catalog';
import { badRequest, LinodeErrorItem, notFound } from './linode-errors';
import {
  CreateInstanceInput,
  FAULT_MODES,
  FaultSpec,
  LinodeFirewallRuleRecord,
  LinodeFirewallRulesRecord,
  SIMULATOR_OPERATIONS,
  SimulatedInstance,
  SimulatorState,
} from './simulator-state';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { parseFaultSpec as parseGenericFaultSpec } from '../simulation/fault-rules';
import { readRequestBody } from '../simulation/http-server';

const LABEL_PATTERN = /^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$/;

export async function readBody(request: IncomingMessage): Promise<string> {
  const text = await readRequestBody(request);
  if (text === null) throw badRequest([{ reason: 'Request body too large' }]);
  return text;
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest([{ reason: 'Invalid JSON' }]);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function pageParams(query: URLSearchParams): { page: number; pageSize: number } {
  const errors: LinodeErrorItem[] = [];
  const read = (name: string, fallback: number, min: number, max: number) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      errors.push({
        field: name,
        reason: max === Infinity ? `Must be ${min} or greater` : `Must be ${min}-${max}`,
      });
      return fallback;
    }
    return value;
  };
  const page = read('page', 1, 1, Infinity);
  const pageSize = read('page_size', 100, 25, 500);
  if (errors.length > 0) throw badRequest(errors);
  return { page, pageSize };
}

/** Linode's label rules: 3-64 characters, the pattern, unique among the account's live instances. */
function labelProblems(label: string, state: SimulatorState, except?: SimulatedInstance): LinodeErrorItem[] {
  if (label.length < 3 || label.length > 64)
    return [{ field: 'label', reason: 'Length must be 3-64 characters' }];
  if (!LABEL_PATTERN.test(label))
    return [
      {
        field: 'label',
        reason:
          "Label must begin with a letter, and can only contain letters, numbers, dashes, underscores and periods; no '--', '__' or '..'",
      },
    ];
  if (state.labelTaken(label, except))
    return [{ field: 'label', reason: 'Label must be unique among your linodes' }];
  return [];
}

/**
 * PUT /linode/instances/{id}: the label (Linode's rules) and tags are applied; the spec's other fields (alerts,
 * backups schedule, watchdog) are accepted and ignored, as the simulator has no such behaviour; unknown fields
 * are refused as Linode does.
 */
export function validateUpdate(
  body: unknown,
  state: SimulatorState,
  instance: SimulatedInstance,
): { label?: string; tags?: string[] } {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const known = new Set(['label', 'tags', 'group', 'alerts', 'backups', 'watchdog_enabled']);
  const errors: LinodeErrorItem[] = Object.keys(body)
    .filter((field) => !known.has(field))
    .map((field) => ({ field, reason: `${field} is not a valid field` }));
  const changes: { label?: string; tags?: string[] } = {};
  if (body.label !== undefined) {
    if (typeof body.label !== 'string') errors.push({ field: 'label', reason: 'label must be a string' });
    else {
      errors.push(...labelProblems(body.label, state, instance));
      changes.label = body.label;
    }
  }
  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags) || !body.tags.every((tag) => typeof tag === 'string'))
      errors.push({ field: 'tags', reason: 'tags must be a list of strings' });
    else changes.tags = body.tags as string[];
  }
  if (errors.length > 0) throw badRequest(errors);
  return changes;
}

/** Host names Linode takes as reverse DNS: dot-separated labels of letters, digits and '-', 253 characters at most. */
const RDNS_PATTERN = /^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?$/;

/**
 * PUT /networking/ips/{address}: `rdns` is required (null restores the default). Linode applies a name only when
 * its forward DNS already points at the address; the simulator resolves nothing, so it stands in with the names
 * that can never resolve (the reserved `.invalid` top-level domain, RFC 6761) and accepts the rest.
 */
export function validateRdns(body: unknown): string | null {
  if (!isRecord(body) || !('rdns' in body)) throw badRequest([{ field: 'rdns', reason: 'rdns is required' }]);
  const rdns = body.rdns;
  if (rdns === null) return null;
  if (typeof rdns !== 'string' || !RDNS_PATTERN.test(rdns))
    throw badRequest([{ field: 'rdns', reason: 'rdns must be a valid domain name' }]);
  if (/\.invalid\.?$/i.test(rdns))
    throw badRequest([
      {
        field: 'rdns',
        reason: `Unable to look up domain '${rdns}': forward DNS is not set up for this address`,
      },
    ]);
  return rdns.replace(/\.$/, '').toLowerCase();
}

export function validateCreate(body: unknown, state: SimulatorState): CreateInstanceInput {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const errors: LinodeErrorItem[] = [];
  /** The field's value when it has the expected type; absent (undefined/null) or wrong (error noted): undefined. */
  const optional = <T>(field: string, is: (value: unknown) => value is T, what: string): T | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (!is(value)) {
      errors.push({ field, reason: `${field} must be ${what}` });
      return undefined;
    }
    return value;
  };
  const isString = (value: unknown): value is string => typeof value === 'string';
  const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);
  const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
  const optionalString = (field: string) => optional(field, isString, 'a string');
  const stringList = (field: string) => optional(field, isStringList, 'a list of strings');
  const optionalBoolean = (field: string) => optional(field, isBoolean, 'a boolean');

  const region = optionalString('region');
  if (region === undefined && body.region === undefined)
    errors.push({ field: 'region', reason: 'region is required' });
  else if (region !== undefined && !SIMULATOR_REGIONS.some((candidate) => candidate.id === region))
    errors.push({ field: 'region', reason: 'region is not valid' });

  const type = optionalString('type');
  if (type === undefined && body.type === undefined)
    errors.push({ field: 'type', reason: 'type is required' });
  else if (type !== undefined && !SIMULATOR_TYPES.some((candidate) => candidate.id === type))
    errors.push({ field: 'type', reason: 'A valid plan type by that ID was not found' });

  const label = optionalString('label');
  if (label !== undefined) errors.push(...labelProblems(label, state));

  const image = optionalString('image');
  if (image !== undefined && !SIMULATOR_IMAGES.some((candidate) => candidate.id === image))
    errors.push({ field: 'image', reason: 'image is not valid' });

  const rootPass = optionalString('root_pass');
  if (image !== undefined && rootPass === undefined && body.root_pass === undefined)
    errors.push({ field: 'root_pass', reason: 'root_pass is required when creating from an Image' });
  if (rootPass !== undefined && (rootPass.length < 7 || rootPass.length > 128))
    errors.push({ field: 'root_pass', reason: 'root_pass must be 7-128 characters' });

  const authorizedKeys = stringList('authorized_keys');
  authorizedKeys?.forEach((key, index) => {
    if (
      !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+/.test(
        key,
      )
    )
      errors.push({
        field: `authorized_keys[${index}]`,
        reason: 'SSH Key key-type must be one of ssh-rsa, ssh-dss, ecdsa-sha2-nistp, ssh-ed25519 or sk-',
      });
  });

  const tags = stringList('tags');
  tags?.forEach((tag, index) => {
    if (tag.length < 3 || tag.length > 50)
      errors.push({ field: `tags[${index}]`, reason: 'Length must be 3-50 characters' });
  });

  const backupsEnabled = optionalBoolean('backups_enabled');
  const firewallId = optional(
    'firewall_id',
    (value): value is number => Number.isInteger(value),
    'an integer',
  );
  if (firewallId !== undefined && !state.findFirewall(firewallId))
    errors.push({ field: 'firewall_id', reason: 'Firewall not found' });
  const booted = optionalBoolean('booted');
  const group = optionalString('group');
  if (errors.length > 0) throw badRequest(errors);
  return {
    label,
    region: region!,
    type: type!,
    image,
    rootPass,
    authorizedKeys,
    backupsEnabled,
    tags,
    firewallId,
    booted,
    group,
  };
}

export function parseInstanceId(raw: string | undefined): number {
  if (raw === undefined || !/^[0-9]{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

export function parseFaultSpec(body: unknown): FaultSpec {
  const { spec, errors } = parseGenericFaultSpec(body, SIMULATOR_OPERATIONS, FAULT_MODES);
  if (!spec)
    throw badRequest(errors.map(({ field, reason }) => (field === 'body' ? { reason } : { field, reason })));
  return spec;
}

/** boot, reboot and shutdown take an optional body whose only field Stratus could send is config_id. */
export function validatePowerActionBody(body: unknown): void {
  if (
    body !== undefined &&
    (!isRecord(body) || (body.config_id !== undefined && !Number.isInteger(body.config_id)))
  )
    throw badRequest([{ field: 'config_id', reason: 'config_id must be an integer' }]);
}

/**
 * The year and month of GET /linode/instances/{id}/transfer/{year}/{month}: integers in the spec's ranges (2000-2037,
 * 1-12), and, as Linode says, a past month or the current one.
 */
export function validateTransferMonth(
  rawYear: string | undefined,
  rawMonth: string | undefined,
  now: number,
): { year: number; month: number } {
  const year = /^[0-9]{4}$/.test(rawYear ?? '') ? Number(rawYear) : NaN;
  const month = /^[0-9]{1,2}$/.test(rawMonth ?? '') ? Number(rawMonth) : NaN;
  if (!(year >= 2000 && year <= 2037))
    throw badRequest([{ field: 'year', reason: 'Must be a year from 2000 to 2037' }]);
  if (!(month >= 1 && month <= 12))
    throw badRequest([{ field: 'month', reason: 'Must be a month from 1 to 12' }]);
  if (Date.UTC(year, month - 1, 1) > now) {
    throw badRequest([{ reason: 'The year/month must be a date in the past, or the current month' }]);
  }
  return { year, month };
}

/** PUT /__sim/instances/{id}/transfer: {used: bytes, bytesPerSecond?: growth from now on}. */
export function parseTransferControl(body: unknown): { used: number; bytesPerSecond?: number } {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const { used, bytesPerSecond } = record;
  if (typeof used !== 'number' || !Number.isSafeInteger(used) || used < 0) {
    throw badRequest([{ field: 'used', reason: 'Must be a non-negative integer (bytes)' }]);
  }
  if (
    bytesPerSecond !== undefined &&
    (typeof bytesPerSecond !== 'number' || !Number.isSafeInteger(bytesPerSecond) || bytesPerSecond < 0)
  ) {
    throw badRequest([{ field: 'bytesPerSecond', reason: 'Must be a non-negative integer' }]);
  }
  return bytesPerSecond === undefined ? { used } : { used, bytesPerSecond };
}

// ---- rebuild, resize, backups (issue 15) ----

const AUTHORIZED_KEY_PATTERN =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+/;

/**
 * POST /linode/instances/{id}/rebuild: image and root_pass required (Linode's rules), authorized_keys optional;
 * the spec's other fields (stackscripts, metadata, disk encryption, type) are not simulated and refused.
 */
export function validateRebuild(body: unknown): {
  image: string;
  rootPass: string;
  authorizedKeys: string[];
} {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const known = new Set(['image', 'root_pass', 'authorized_keys', 'booted']);
  const errors: LinodeErrorItem[] = Object.keys(body)
    .filter((field) => !known.has(field))
    .map((field) => ({ field, reason: `${field} is not supported by the simulator` }));
  const { image, root_pass: rootPass, authorized_keys: keys } = body;
  if (image === undefined) errors.push({ field: 'image', reason: 'image is required' });
  else if (typeof image !== 'string' || !SIMULATOR_IMAGES.some((candidate) => candidate.id === image))
    errors.push({ field: 'image', reason: 'image is not valid' });
  if (rootPass === undefined) errors.push({ field: 'root_pass', reason: 'root_pass is required' });
  else if (typeof rootPass !== 'string' || rootPass.length < 7 || rootPass.length > 128)
    errors.push({ field: 'root_pass', reason: 'root_pass must be 7-128 characters' });
  if (keys !== undefined && (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')))
    errors.push({ field: 'authorized_keys', reason: 'authorized_keys must be a list of strings' });
  else
    (keys as string[] | undefined)?.forEach((key, index) => {
      if (!AUTHORIZED_KEY_PATTERN.test(key))
        errors.push({
          field: `authorized_keys[${index}]`,
          reason: 'SSH Key key-type must be one of ssh-rsa, ssh-dss, ecdsa-sha2-nistp, ssh-ed25519 or sk-',
        });
    });
  if (body.booted !== undefined && typeof body.booted !== 'boolean')
    errors.push({ field: 'booted', reason: 'booted must be a boolean' });
  if (errors.length > 0) throw badRequest(errors);
  return { image: image as string, rootPass: rootPass as string, authorizedKeys: (keys as string[]) ?? [] };
}

/**
 * POST /linode/instances/{id}/resize: `type` required, another type than the instance's; a type whose disk is
 * smaller than the instance's is refused (Linode: the data must fit; the simulator keeps no data to measure).
 */
export function validateResize(body: unknown, instance: SimulatedInstance): string {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const known = new Set(['type', 'allow_auto_disk_resize', 'migration_type']);
  const errors: LinodeErrorItem[] = Object.keys(body)
    .filter((field) => !known.has(field))
    .map((field) => ({ field, reason: `${field} is not a valid field` }));
  const type = SIMULATOR_TYPES.find((candidate) => candidate.id === body.type);
  if (body.type === undefined) errors.push({ field: 'type', reason: 'type is required' });
  else if (!type) errors.push({ field: 'type', reason: 'A valid plan type by that ID was not found' });
  else if (type.id === instance.linode.type)
    errors.push({ field: 'type', reason: 'Linode is already running this service plan.' });
  else if (type.disk < instance.linode.specs.disk)
    errors.push({
      field: 'type',
      reason: 'The current disk size of your Linode is too large for the new service plan.',
    });
  if (body.allow_auto_disk_resize !== undefined && typeof body.allow_auto_disk_resize !== 'boolean')
    errors.push({ field: 'allow_auto_disk_resize', reason: 'allow_auto_disk_resize must be a boolean' });
  if (body.migration_type !== undefined && body.migration_type !== 'warm' && body.migration_type !== 'cold')
    errors.push({ field: 'migration_type', reason: "migration_type must be 'warm' or 'cold'" });
  if (errors.length > 0) throw badRequest(errors);
  return type!.id;
}

// ---- backups and firewall (issue 15) ----

/** POST /linode/instances/{id}/backups: `label` is required, 1–255 characters. */
export function validateSnapshotBody(body: unknown): string {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const unknown = Object.keys(body).filter((field) => field !== 'label');
  if (unknown.length > 0)
    throw badRequest(unknown.map((field) => ({ field, reason: `${field} is not a valid field` })));
  if (typeof body.label !== 'string' || body.label.length < 1 || body.label.length > 255)
    throw badRequest([{ field: 'label', reason: 'Length must be 1-255 characters' }]);
  return body.label;
}

/** POST .../backups/{backupId}/restore: `linode_id` (required) and `overwrite`. */
export function validateRestoreBody(body: unknown): { linodeId: number; overwrite: boolean } {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const errors: LinodeErrorItem[] = Object.keys(body)
    .filter((field) => field !== 'linode_id' && field !== 'overwrite')
    .map((field) => ({ field, reason: `${field} is not a valid field` }));
  if (!Number.isInteger(body.linode_id)) errors.push({ field: 'linode_id', reason: 'linode_id is required' });
  if (body.overwrite !== undefined && typeof body.overwrite !== 'boolean')
    errors.push({ field: 'overwrite', reason: 'overwrite must be a boolean' });
  if (errors.length > 0) throw badRequest(errors);
  return { linodeId: body.linode_id as number, overwrite: body.overwrite === true };
}

const FIREWALL_LABEL = /^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$/;
const PORTS_PIECE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function ipNetworkValid(value: unknown, family: 4 | 6): boolean {
  if (typeof value !== 'string') return false;
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || isIP(address) !== family) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * A Cloud Firewall rule set, as Linode checks it: policies, at most 25 rules a direction and 255 addresses in all,
 * protocols, ports ("22", "80,443", "8000-8100"; none for ICMP), networks in CIDR notation.
 */
export function validateFirewallRules(
  body: unknown,
): Omit<LinodeFirewallRulesRecord, 'version' | 'fingerprint'> {
  if (!isRecord(body)) throw badRequest([{ field: 'rules', reason: 'rules must be an object' }]);
  const errors: LinodeErrorItem[] = [];
  const policy = (field: string): 'ACCEPT' | 'DROP' => {
    const value = body[field];
    if (value !== 'ACCEPT' && value !== 'DROP') {
      errors.push({ field, reason: `${field} must be ACCEPT or DROP` });
      return 'ACCEPT' as const;
    }
    return value;
  };
  let addressCount = 0;
  const rules = (direction: 'inbound' | 'outbound'): LinodeFirewallRuleRecord[] => {
    const list = body[direction] ?? [];
    if (!Array.isArray(list) || list.length > 25) {
      errors.push({ field: direction, reason: `${direction} must be a list of at most 25 rules` });
      return [];
    }
    return list.flatMap((rule: unknown, index): LinodeFirewallRuleRecord[] => {
      const at = `${direction}[${index}]`;
      if (!isRecord(rule)) {
        errors.push({ field: at, reason: 'A rule must be an object' });
        return [];
      }
      const { action, protocol, ports, addresses, label } = rule;
      if (action !== 'ACCEPT' && action !== 'DROP')
        errors.push({ field: `${at}.action`, reason: 'action must be ACCEPT or DROP' });
      if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'ICMP' && protocol !== 'IPENCAP')
        errors.push({ field: `${at}.protocol`, reason: 'protocol must be TCP, UDP, ICMP or IPENCAP' });
      if (ports !== undefined && ports !== null) {
        const pieces = typeof ports === 'string' ? ports.split(',') : null;
        const valid =
          pieces !== null &&
          (protocol === 'TCP' || protocol === 'UDP') &&
          pieces.length <= 15 &&
          pieces.every((piece) => {
            const match = PORTS_PIECE.exec(piece.trim());
            if (!match) return false;
            const first = Number(match[1]);
            const last = match[2] === undefined ? first : Number(match[2]);
            return first >= 1 && last <= 65535 && (match[2] === undefined || first < last);
          });
        if (!valid)
          errors.push({ field: `${at}.ports`, reason: 'ports must be ports or port ranges of TCP or UDP' });
      }
      if (!isRecord(addresses)) errors.push({ field: `${at}.addresses`, reason: 'addresses is required' });
      else {
        const ipv4 = addresses.ipv4 ?? [];
        const ipv6 = addresses.ipv6 ?? [];
        if (!Array.isArray(ipv4) || !ipv4.every((value) => ipNetworkValid(value, 4)))
          errors.push({
            field: `${at}.addresses.ipv4`,
            reason: 'Must contain only valid IPv4 addresses or networks',
          });
        if (!Array.isArray(ipv6) || !ipv6.every((value) => ipNetworkValid(value, 6)))
          errors.push({
            field: `${at}.addresses.ipv6`,
            reason: 'Must contain only valid IPv6 addresses or networks',
          });
        addressCount += (Array.isArray(ipv4) ? ipv4.length : 0) + (Array.isArray(ipv6) ? ipv6.length : 0);
      }
      if (label !== undefined && (typeof label !== 'string' || label.length < 3 || label.length > 32))
        errors.push({ field: `${at}.label`, reason: 'Length must be 3-32 characters' });
      return [rule as unknown as LinodeFirewallRuleRecord];
    });
  };
  const known = new Set([
    'inbound_policy',
    'outbound_policy',
    'inbound',
    'outbound',
    'fingerprint',
    'version',
  ]);
  errors.push(
    ...Object.keys(body)
      .filter((field) => !known.has(field))
      .map((field) => ({ field, reason: `${field} is not a valid field` })),
  );
  const result = {
    inbound_policy: policy('inbound_policy'),
    outbound_policy: policy('outbound_policy'),
    inbound: rules('inbound'),
    outbound: rules('outbound'),
  };
  if (addressCount > 255)
    errors.push({ field: 'rules', reason: 'A firewall may name at most 255 addresses' });
  if (errors.length > 0) throw badRequest(errors);
  return result;
}

/** POST /networking/firewalls: label (3–32, unique), rules, optional tags and devices.linodes (live instances). */
export function validateCreateFirewall(
  body: unknown,
  state: SimulatorState,
): {
  label: string;
  tags: string[];
  rules: Omit<LinodeFirewallRulesRecord, 'version' | 'fingerprint'>;
  linodes: number[];
} {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const errors: LinodeErrorItem[] = [];
  const label = body.label;
  if (typeof label !== 'string' || label.length < 3 || label.length > 32 || !FIREWALL_LABEL.test(label))
    errors.push({
      field: 'label',
      reason: 'Label must be 3-32 characters: letters, digits, "-", "_" and "."',
    });
  else if (state.firewallLabelTaken(label))
    errors.push({ field: 'label', reason: 'Label must be unique among your Cloud Firewalls' });
  const tags = body.tags ?? [];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string'))
    errors.push({ field: 'tags', reason: 'tags must be a list of strings' });
  const devices = body.devices ?? {};
  const linodes = isRecord(devices) ? (devices.linodes ?? []) : null;
  if (!Array.isArray(linodes) || !linodes.every((id) => Number.isInteger(id) && state.findLive(id as number)))
    errors.push({ field: 'devices.linodes', reason: 'Linodes must be existing Linodes of this account' });
  if (errors.length > 0) throw badRequest(errors);
  return {
    label: label as string,
    tags: tags as string[],
    rules: validateFirewallRules(body.rules),
    linodes: linodes as number[],
  };
}

export function parseNumericId(raw: string | undefined): number {
  return parseInstanceId(raw);
}

/** POST /networking/firewalls/{id}/devices: a live Linode of the account (`type` linode). */
export function validateFirewallDevice(body: unknown, state: SimulatorState): number {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  if (body.type !== 'linode') throw badRequest([{ field: 'type', reason: 'type must be linode' }]);
  if (!Number.isInteger(body.id) || !state.findLive(body.id as number))
    throw badRequest([{ field: 'id', reason: 'Linode not found' }]);
  return body.id as number;
}
