/**
 * The CloudProvider port on Linode API v4: bearer token, page/page_size pagination following `pages`, bounded
 * retries inside the adapter (429 honouring Retry-After; 5xx, timeouts and network errors for requests that are
 * safe to repeat), and every failure as a ProviderError whose `kind` tells workflows whether to retry.
 */
import {
  CloudProvider,
  FirewallRules,
  FirewallRule,
  ProviderBackup,
  ProviderBackups,
  ProviderFirewall,
  CreateInstanceRequest,
  InstanceStatus,
  InstanceTransfer,
  parseUsedBytes,
  ProviderError,
  ProviderErrorDetail,
  ProviderImage,
  ProviderInstance,
  ProviderPlanType,
  ProviderRegion,
  RebuildInstanceRequest,
} from '@stratus/domain';
import { isIP } from 'node:net';
import { linodePriceToMoney } from './linode-price';

export interface LinodeProviderOptions {
  /** API base including the version, e.g. https://api.linode.com/v4 (LINODE_API_URL). */
  baseUrl: string;
  /** Personal access token (LINODE_TOKEN). */
  token: string;
  /** Injected fetch (tests wrap it); global fetch by default. */
  fetch?: typeof fetch;
  /** Retries after the first attempt, for retryable failures (default 3). */
  maxRetries?: number;
  /** Per-attempt deadline, response body included (default 15 000 ms). */
  timeoutMs?: number;
  /** First backoff for 5xx/network retries, doubled each time (default 200 ms). */
  retryBaseMs?: number;
  /** Longest Retry-After honoured; a longer one ends the retries (default 30 000 ms). */
  maxRetryAfterMs?: number;
  /** page_size for list calls, 25..500 (default 500). */
  pageSize?: number;
}

/** Linode's instance statuses (spec enum) in Stratus's terms. */
const STATUS_MAP: Record<string, InstanceStatus> = {
  provisioning: 'provisioning',
  booting: 'booting',
  running: 'running',
  offline: 'offline',
  stopped: 'offline',
  shutting_down: 'shutting_down',
  rebooting: 'rebooting',
  deleting: 'deleting',
  restoring: 'restoring',
  rebuilding: 'rebuilding',
  resizing: 'resizing',
};

export function mapLinodeStatus(status: unknown): InstanceStatus {
  return (typeof status === 'string' && STATUS_MAP[status]) || 'unknown';
}

interface LinodeInstance {
  id: number;
  label: string;
  status: string;
  region: string;
  type: string | null;
  image: string | null;
  ipv4: string[];
  created: string;
  tags: string[];
  backups?: { enabled?: boolean };
}

interface LinodePage<T> {
  data: T[];
  page: number;
  pages: number;
  results: number;
}

interface RequestSpec {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Safe to repeat after a 5xx/timeout/network failure (the request may have taken effect). */
  idempotent: boolean;
}

interface Answer {
  status: number;
  body: unknown;
  /** From Retry-After on a 429. */
  retryAfterMs?: number;
}

const NUMERIC_ID = /^[0-9]{1,15}$/;

/** Linode timestamps carry no zone and mean UTC ("2018-01-01T00:01:01"); the port wants ISO 8601 with Z. */
function isoTimestamp(value: string): string {
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`;
  const parsed = new Date(zoned);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}

function toInstance(linode: LinodeInstance): ProviderInstance {
  return {
    id: String(linode.id),
    label: linode.label,
    status: mapLinodeStatus(linode.status),
    region: linode.region,
    type: linode.type ?? '',
    image: linode.image ?? null,
    ipv4: Array.isArray(linode.ipv4) ? [...linode.ipv4] : [],
    createdAt: isoTimestamp(linode.created),
    tags: Array.isArray(linode.tags) ? [...linode.tags] : [],
    ...(typeof linode.backups?.enabled === 'boolean' ? { backupsEnabled: linode.backups.enabled } : {}),
  };
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function reasonsOf(body: unknown): ProviderErrorDetail[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter((item): item is { field?: unknown; reason: string } => typeof item?.reason === 'string')
    .map((item) =>
      typeof item.field === 'string' ? { field: item.field, reason: item.reason } : { reason: item.reason },
    );
}

// ---- backups and firewall (issue 15) ----

interface LinodeBackup {
  id: number;
  type: 'auto' | 'snapshot';
  label: string | null;
  status: ProviderBackup['status'];
  created: string;
  finished?: string | null;
  available: boolean;
}

function toBackup(backup: LinodeBackup): ProviderBackup {
  return {
    id: String(backup.id),
    type: backup.type,
    label: backup.label ?? null,
    status: backup.status,
    created: isoTimestamp(backup.created),
    finished: backup.finished ? isoTimestamp(backup.finished) : null,
    available: backup.available === true,
  };
}

interface LinodeFirewallRule {
  action: 'ACCEPT' | 'DROP';
  protocol: string;
  ports?: string | null;
  addresses?: { ipv4?: string[]; ipv6?: string[] };
  label?: string;
}

interface LinodeFirewall {
  id: number;
  label: string;
  rules: { inbound_policy: 'ACCEPT' | 'DROP'; inbound?: LinodeFirewallRule[] };
}

/** Stratus's rules as Linode's: each rule the exception to the default policy, outbound all accepted. */
export function linodeFirewallRules(rules: FirewallRules) {
  const action = rules.defaultInbound === 'DROP' ? 'ACCEPT' : 'DROP';
  return {
    inbound_policy: rules.defaultInbound,
    inbound: rules.inbound.map((rule, index) => ({
      action,
      protocol: rule.protocol,
      ...(rule.ports === null ? {} : { ports: rule.ports }),
      addresses: {
        ipv4: rule.addresses.filter((address) => !address.includes(':')),
        ipv6: rule.addresses.filter((address) => address.includes(':')),
      },
      label: `rule-${index + 1}`,
    })),
    outbound_policy: 'ACCEPT' as const,
    outbound: [],
  };
}

function toFirewall(firewall: LinodeFirewall): ProviderFirewall {
  const inbound = (firewall.rules?.inbound ?? [])
    .filter((rule) => rule.protocol === 'TCP' || rule.protocol === 'UDP' || rule.protocol === 'ICMP')
    .map((rule): FirewallRule => ({
      protocol: rule.protocol as FirewallRule['protocol'],
      ports: rule.ports ?? null,
      addresses: [...(rule.addresses?.ipv4 ?? []), ...(rule.addresses?.ipv6 ?? [])],
    }));
  return {
    id: String(firewall.id),
    label: firewall.label,
    rules: { defaultInbound: firewall.rules?.inbound_policy ?? 'ACCEPT', inbound },
  };
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

export class LinodeProvider implements CloudProvider {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly retryBaseMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly pageSize: number;

  constructor(options: LinodeProviderOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.maxRetries = Math.max(0, options.maxRetries ?? 3);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.pageSize = Math.min(500, Math.max(25, options.pageSize ?? 500));
  }

  async createInstance(request: CreateInstanceRequest): Promise<ProviderInstance> {
    const body: Record<string, unknown> = {
      label: request.label,
      region: request.region,
      type: request.type,
      image: request.image,
      root_pass: request.rootPassword,
      tags: request.tags,
    };
    if (request.authorizedKeys && request.authorizedKeys.length > 0)
      body.authorized_keys = request.authorizedKeys;
    if (request.backupsEnabled !== undefined) body.backups_enabled = request.backupsEnabled;
    if (request.firewallId !== undefined) body.firewall_id = Number(request.firewallId);
    // Not idempotent: after a 5xx or timeout the instance may exist. Only 429 (refused, nothing done) is retried
    // here; callers find the instance again by label/tag before creating anew.
    const answer = await this.call({
      operation: 'createInstance',
      method: 'POST',
      path: '/linode/instances',
      body,
      idempotent: false,
    });
    return toInstance(answer.body as LinodeInstance);
  }

  async getInstance(id: string): Promise<ProviderInstance | null> {
    if (!NUMERIC_ID.test(id)) return null;
    try {
      const answer = await this.call({
        operation: 'getInstance',
        method: 'GET',
        path: `/linode/instances/${id}`,
        idempotent: true,
      });
      return toInstance(answer.body as LinodeInstance);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  async deleteInstance(id: string): Promise<void> {
    if (!NUMERIC_ID.test(id)) return;
    try {
      await this.call({
        operation: 'deleteInstance',
        method: 'DELETE',
        path: `/linode/instances/${id}`,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not_found') return;
      throw error;
    }
  }

  async findInstancesByTag(tag: string): Promise<ProviderInstance[]> {
    // `tags` is filterable: a scalar matches instances whose tag list contains it. Checked again here so the
    // result never depends on the filter's exact server-side semantics.
    const linodes = await this.listAll<LinodeInstance>('listInstances', '/linode/instances', {
      paged: true,
      filter: { tags: tag },
    });
    return linodes
      .filter((linode) => Array.isArray(linode.tags) && linode.tags.includes(tag))
      .map(toInstance);
  }

  async findInstanceByLabel(label: string): Promise<ProviderInstance | null> {
    const linodes = await this.listAll<LinodeInstance>('listInstances', '/linode/instances', {
      paged: true,
      filter: { label },
    });
    const found = linodes.find((linode) => linode.label === label);
    return found ? toInstance(found) : null;
  }

  boot(id: string): Promise<void> {
    return this.action(id, 'boot');
  }

  shutdown(id: string): Promise<void> {
    return this.action(id, 'shutdown');
  }

  reboot(id: string): Promise<void> {
    return this.action(id, 'reboot');
  }

  async updateInstanceLabel(id: string, label: string): Promise<void> {
    if (!NUMERIC_ID.test(id))
      throw new ProviderError('not_found', `Linode updateInstance: no instance ${JSON.stringify(id)}`, {
        operation: 'updateInstance',
      });
    await this.call({
      operation: 'updateInstance',
      method: 'PUT',
      path: `/linode/instances/${id}`,
      body: { label },
      // Setting the same label again converges.
      idempotent: true,
    });
  }

  async setReverseDns(address: string, hostname: string | null): Promise<void> {
    if (isIP(address) !== 4)
      throw new ProviderError('not_found', `Linode updateIp: ${JSON.stringify(address)} is no IPv4 address`, {
        operation: 'updateIp',
      });
    await this.call({
      operation: 'updateIp',
      method: 'PUT',
      path: `/networking/ips/${address}`,
      body: { rdns: hostname },
      idempotent: true,
    });
  }

  // ---- backups and firewall (issue 15) ----

  async listBackups(instanceId: string): Promise<ProviderBackups> {
    const answer = await this.call({
      operation: 'getBackups',
      method: 'GET',
      path: `/linode/instances/${this.instancePath(instanceId, 'getBackups')}/backups`,
      idempotent: true,
    });
    const body = answer.body as {
      automatic?: LinodeBackup[];
      snapshot?: { current?: LinodeBackup | null; in_progress?: LinodeBackup | null };
    };
    return {
      automatic: (body?.automatic ?? []).map(toBackup),
      snapshot: {
        current: body?.snapshot?.current ? toBackup(body.snapshot.current) : null,
        inProgress: body?.snapshot?.in_progress ? toBackup(body.snapshot.in_progress) : null,
      },
    };
  }

  async createSnapshot(instanceId: string, label: string): Promise<ProviderBackup> {
    const answer = await this.call({
      operation: 'createSnapshot',
      method: 'POST',
      path: `/linode/instances/${this.instancePath(instanceId, 'createSnapshot')}/backups`,
      body: { label },
      // A second snapshot while one is taken is refused: callers look for theirs before asking again.
      idempotent: false,
    });
    return toBackup(answer.body as LinodeBackup);
  }

  async restoreBackup(instanceId: string, backupId: string): Promise<void> {
    const linodeId = this.instancePath(instanceId, 'restoreBackup');
    if (!NUMERIC_ID.test(backupId))
      throw new ProviderError('not_found', `Linode restoreBackup: no backup ${JSON.stringify(backupId)}`, {
        operation: 'restoreBackup',
      });
    await this.call({
      operation: 'restoreBackup',
      method: 'POST',
      path: `/linode/instances/${linodeId}/backups/${backupId}/restore`,
      body: { linode_id: Number(linodeId), overwrite: true },
      // A restore already running makes the instance busy: callers check its status before asking again.
      idempotent: false,
    });
  }

  async findFirewallByLabel(label: string): Promise<ProviderFirewall | null> {
    // The spec gives this list no X-Filter: every page is read (an account has few firewalls).
    const firewalls = await this.listAll<LinodeFirewall>('getFirewalls', '/networking/firewalls', {
      paged: true,
    });
    const found = firewalls.find((firewall) => firewall.label === label);
    return found ? toFirewall(found) : null;
  }

  async createFirewall(request: {
    label: string;
    tags: string[];
    rules: FirewallRules;
    instanceIds: string[];
  }): Promise<ProviderFirewall> {
    const answer = await this.call({
      operation: 'createFirewalls',
      method: 'POST',
      path: '/networking/firewalls',
      body: {
        label: request.label,
        tags: request.tags,
        rules: linodeFirewallRules(request.rules),
        devices: { linodes: request.instanceIds.map(Number) },
      },
      idempotent: false,
    });
    return toFirewall(answer.body as LinodeFirewall);
  }

  async setFirewallRules(firewallId: string, rules: FirewallRules): Promise<void> {
    if (!NUMERIC_ID.test(firewallId))
      throw new ProviderError(
        'not_found',
        `Linode updateFirewallRules: no firewall ${JSON.stringify(firewallId)}`,
        {
          operation: 'updateFirewallRules',
        },
      );
    await this.call({
      operation: 'updateFirewallRules',
      method: 'PUT',
      path: `/networking/firewalls/${firewallId}/rules`,
      body: linodeFirewallRules(rules),
      // The same rules again converge.
      idempotent: true,
    });
  }

  async attachFirewallInstance(firewallId: string, instanceId: string): Promise<void> {
    if ((await this.firewallDevice(firewallId, instanceId, 'createFirewallDevice')) !== null) return;
    await this.call({
      operation: 'createFirewallDevice',
      method: 'POST',
      path: `/networking/firewalls/${firewallId}/devices`,
      body: { id: Number(this.instancePath(instanceId, 'createFirewallDevice')), type: 'linode' },
      // Looked for first: a repeat after a lost answer finds the device and stops above.
      idempotent: false,
    });
  }

  async detachFirewallInstance(firewallId: string, instanceId: string): Promise<void> {
    const deviceId = await this.firewallDevice(firewallId, instanceId, 'deleteFirewallDevice');
    if (deviceId === null) return;
    try {
      await this.call({
        operation: 'deleteFirewallDevice',
        method: 'DELETE',
        path: `/networking/firewalls/${firewallId}/devices/${deviceId}`,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not_found') return;
      throw error;
    }
  }

  async getInstanceTransfer(id: string): Promise<InstanceTransfer | null> {
    if (!NUMERIC_ID.test(id)) return null;
    try {
      const answer = await this.call({
        operation: 'getInstanceTransfer',
        method: 'GET',
        path: `/linode/instances/${id}/transfer`,
        idempotent: true,
      });
      const body = (answer.body ?? {}) as { used?: unknown; quota?: unknown };
      const quota = body.quota;
      if (typeof quota !== 'number' || !Number.isSafeInteger(quota) || quota < 0) {
        throw new ProviderError(
          'retryable',
          `Linode getInstanceTransfer: quota is not a whole GB: ${String(quota)}`,
          {
            operation: 'getInstanceTransfer',
          },
        );
      }
      // JSON numbers are exact up to 2^53 bytes (9 PB); a larger or fractional counter is refused, never rounded.
      let usedBytes: bigint;
      try {
        usedBytes = parseUsedBytes(body.used);
      } catch (error) {
        throw new ProviderError('retryable', `Linode getInstanceTransfer: ${(error as Error).message}`, {
          operation: 'getInstanceTransfer',
        });
      }
      return { usedBytes, quotaGb: quota };
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  /** The device id that puts the instance behind the firewall, or null. */
  private async firewallDevice(
    firewallId: string,
    instanceId: string,
    operation: string,
  ): Promise<number | null> {
    if (!NUMERIC_ID.test(firewallId))
      throw new ProviderError('not_found', `Linode ${operation}: no firewall ${JSON.stringify(firewallId)}`, {
        operation,
      });
    const devices = await this.listAll<{ id: number; entity: { id: number; type: string } }>(
      'getFirewallDevices',
      `/networking/firewalls/${firewallId}/devices`,
      { paged: true },
    );
    const found = devices.find(
      (device) => device.entity?.type === 'linode' && String(device.entity.id) === instanceId,
    );
    return found ? found.id : null;
  }

  /** The instance id for a path (requireInstanceId's check). */
  private instancePath(id: string, operation: string): string {
    this.requireInstanceId(id, operation);
    return id;
  }

  // ---- rebuild, resize, backups (issue 15) ----

  async rebuildInstance(id: string, request: RebuildInstanceRequest): Promise<void> {
    this.requireInstanceId(id, 'rebuild');
    const body: Record<string, unknown> = { image: request.image, root_pass: request.rootPassword };
    if (request.authorizedKeys.length > 0) body.authorized_keys = request.authorizedKeys;
    await this.call({
      operation: 'rebuild',
      method: 'POST',
      path: `/linode/instances/${id}/rebuild`,
      body,
      // A repeat after a lost answer rebuilds again to the same image, password and keys (the caller then
      // waits for running): converging, if slower.
      idempotent: true,
    });
  }

  async resizeInstance(id: string, type: string): Promise<void> {
    this.requireInstanceId(id, 'resize');
    await this.call({
      operation: 'resize',
      method: 'POST',
      path: `/linode/instances/${id}/resize`,
      body: { type, allow_auto_disk_resize: true },
      // Not repeated blindly: after a lost answer the caller looks at the instance's type first.
      idempotent: false,
    });
  }

  async setBackups(id: string, enabled: boolean): Promise<void> {
    const operation = enabled ? 'enableBackups' : 'cancelBackups';
    this.requireInstanceId(id, operation);
    await this.call({
      operation,
      method: 'POST',
      path: `/linode/instances/${id}/backups/${enabled ? 'enable' : 'cancel'}`,
      idempotent: true,
    });
  }

  private requireInstanceId(id: string, operation: string): void {
    if (!NUMERIC_ID.test(id))
      throw new ProviderError('not_found', `Linode ${operation}: no instance ${JSON.stringify(id)}`, {
        operation,
      });
  }

  async listTypes(): Promise<ProviderPlanType[]> {
    const types = await this.listAll<{
      id: string;
      label: string;
      vcpus: number;
      memory: number;
      disk: number;
      transfer: number;
      price: { monthly: number | null } | null;
    }>('listTypes', '/linode/types', { paged: false });
    return types.map((type) => ({
      id: type.id,
      label: type.label,
      vcpus: type.vcpus,
      memoryMb: type.memory,
      diskMb: type.disk,
      transferGb: type.transfer,
      monthlyPrice: linodePriceToMoney(type.price?.monthly),
    }));
  }

  async listRegions(): Promise<ProviderRegion[]> {
    const regions = await this.listAll<{ id: string; label: string; country: string; status: string }>(
      'listRegions',
      '/regions',
      { paged: false },
    );
    return regions.map((region) => ({
      id: region.id,
      label: region.label,
      country: region.country,
      status: region.status === 'ok' ? 'ok' : 'outage',
    }));
  }

  async listImages(): Promise<ProviderImage[]> {
    const images = await this.listAll<{
      id: string;
      label: string;
      vendor: string | null;
      deprecated: boolean;
    }>('listImages', '/images', { paged: true });
    return images.map((image) => ({
      id: image.id,
      label: image.label,
      vendor: image.vendor ?? null,
      deprecated: image.deprecated === true,
    }));
  }

  // ------------------------------------------------------------------ plumbing

  private async action(id: string, action: 'boot' | 'shutdown' | 'reboot'): Promise<void> {
    if (!NUMERIC_ID.test(id))
      throw new ProviderError('not_found', `Linode ${action}: no instance ${JSON.stringify(id)}`, {
        operation: action,
      });
    await this.call({
      operation: action,
      method: 'POST',
      path: `/linode/instances/${id}/${action}`,
      // Repeating a boot/shutdown/reboot request converges on the same state.
      idempotent: true,
    });
  }

  /** Every page of a list: page 1, then as many more as the first answer's `pages` says (re-read each time). */
  private async listAll<T>(
    operation: string,
    path: string,
    options: { paged: boolean; filter?: Record<string, unknown> },
  ): Promise<T[]> {
    const { paged, filter } = options;
    const items: T[] = [];
    for (let page = 1; ; page++) {
      // The spec gives page/page_size to instances and images only; types and regions fit one page, and a
      // further page (should one ever be reported) is asked for with `page` alone.
      const query: Record<string, string> = paged
        ? { page: String(page), page_size: String(this.pageSize) }
        : page > 1
          ? { page: String(page) }
          : {};
      const answer = await this.call({
        operation,
        method: 'GET',
        path,
        query,
        headers: filter ? { 'X-Filter': JSON.stringify(filter) } : undefined,
        idempotent: true,
      });
      const body = answer.body as LinodePage<T>;
      if (!body || !Array.isArray(body.data))
        throw new ProviderError('retryable', `Linode ${operation}: malformed page ${page}`, { operation });
      items.push(...body.data);
      const pages = Number.isInteger(body.pages) ? body.pages : 1;
      if (page >= pages || body.data.length === 0) return items;
    }
  }

  private async call(spec: RequestSpec): Promise<Answer> {
    let attempt = 0;
    for (;;) {
      let failure: ProviderError;
      try {
        const answer = await this.attempt(spec);
        if (answer.status >= 200 && answer.status < 300) return answer;
        failure = this.failureOf(spec, answer);
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        failure = new ProviderError(
          'retryable',
          `Linode ${spec.operation}: ${(error as { name?: unknown } | null)?.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `network error (${(error as { message?: unknown } | null)?.message ?? String(error)})`}`,
          { operation: spec.operation },
        );
      }
      const rateLimited = failure.details.status === 429;
      const mayRetry =
        failure.kind === 'retryable' && attempt < this.maxRetries && (rateLimited || spec.idempotent);
      if (!mayRetry) throw failure;
      let wait = this.retryBaseMs * 2 ** attempt;
      if (rateLimited && failure.details.retryAfterMs !== undefined) {
        if (failure.details.retryAfterMs > this.maxRetryAfterMs) throw failure;
        wait = failure.details.retryAfterMs;
      }
      attempt++;
      await sleep(wait);
    }
  }

  private async attempt(spec: RequestSpec): Promise<Answer> {
    const search = new URLSearchParams(spec.query ?? {}).toString();
    const query = search ? `?${search}` : '';
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchImpl(`${this.baseUrl}${spec.path}${query}`, {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        if (response.ok)
          throw new ProviderError('retryable', `Linode ${spec.operation}: the answer is not JSON`, {
            operation: spec.operation,
            status: response.status,
          });
      }
    }
    return {
      status: response.status,
      body,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    };
  }

  private failureOf(spec: RequestSpec, answer: Answer): ProviderError {
    const reasons = reasonsOf(answer.body);
    const said =
      reasons.length > 0
        ? reasons.map((r) => (r.field ? `${r.field}: ${r.reason}` : r.reason)).join('; ')
        : '';
    const message = `Linode ${spec.operation}: HTTP ${answer.status}${said ? ` (${said})` : ''}`;
    const details = { operation: spec.operation, status: answer.status, reasons };
    if (answer.status === 429)
      return new ProviderError('retryable', message, { ...details, retryAfterMs: answer.retryAfterMs });
    if (answer.status >= 500) return new ProviderError('retryable', message, details);
    if (answer.status === 404) return new ProviderError('not_found', message, details);
    return new ProviderError('final', message, details);
  }
}
