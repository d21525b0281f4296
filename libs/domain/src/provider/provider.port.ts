/**
 * The cloud-provider port, in Stratus's terms. One adapter (Linode API v4) implements it; a Linode-compatible
 * simulator stands in for the real API in development and tests. Types only: the domain does no I/O.
 */
import type { FirewallRules } from '../firewall/firewall-rules';

export type InstanceStatus =
  | 'provisioning'
  | 'booting'
  | 'running'
  | 'offline'
  | 'shutting_down'
  | 'rebooting'
  | 'deleting'
  | 'restoring'
  | 'rebuilding'
  | 'resizing'
  | 'unknown';

export interface ProviderInstance {
  /** The provider's id (Linode's numeric id, as a string). */
  id: string;
  label: string;
  status: InstanceStatus;
  region: string;
  type: string;
  image: string | null;
  ipv4: string[];
  createdAt: string;
  /** Stratus tags (vpsInstanceTags); used to find an instance again after a retry. */
  tags: string[];
  /** Whether the provider's backups service is on (absent: not reported). */
  backupsEnabled?: boolean;
}

export interface CreateInstanceRequest {
  label: string;
  region: string;
  /** Provider plan id, e.g. "g6-nanode-1". */
  type: string;
  image: string;
  rootPassword: string;
  authorizedKeys?: string[];
  backupsEnabled?: boolean;
  tags: string[];
  /** A Cloud Firewall the instance is created behind (the platform's default one). */
  firewallId?: string;
}

export interface RebuildInstanceRequest {
  image: string;
  rootPassword: string;
  authorizedKeys: string[];
}

export interface ProviderPlanType {
  id: string;
  label: string;
  vcpus: number;
  memoryMb: number;
  diskMb: number;
  transferGb: number;
  /** Provider's own monthly price, decimal string USD. */
  monthlyPrice: string;
}

/** An instance's network transfer of the current month (UTC), as the provider counts it. */
export interface InstanceTransfer {
  /** Bytes used this month (cumulative; reset at each month's start). Exact. */
  usedBytes: bigint;
  /** Whole GB the instance adds to the account's pool this month (its plan's transfer, prorated). */
  quotaGb: number;
}

export interface ProviderRegion {
  id: string;
  label: string;
  country: string;
  status: 'ok' | 'outage';
}

export interface ProviderImage {
  id: string;
  label: string;
  vendor: string | null;
  deprecated: boolean;
}

// ---- backups and firewall (issue 15) ----

export type ProviderBackupStatus =
  'paused' | 'pending' | 'running' | 'needsPostProcessing' | 'successful' | 'failed' | 'userAborted';

/** One backup of an instance: an automatic one (`auto`) or its manual snapshot. */
export interface ProviderBackup {
  /** The provider's id (Linode's numeric id, as a string). */
  id: string;
  type: 'auto' | 'snapshot';
  label: string | null;
  status: ProviderBackupStatus;
  created: string;
  /** Null until it has finished. */
  finished: string | null;
  /** Whether it can be restored now. */
  available: boolean;
}

/** An instance's backups: its automatic ones and its one manual snapshot (the current one, one being taken). */
export interface ProviderBackups {
  automatic: ProviderBackup[];
  snapshot: { current: ProviderBackup | null; inProgress: ProviderBackup | null };
}

/** A cloud firewall and its inbound rules (Stratus's terms; outbound accepted). */
export interface ProviderFirewall {
  id: string;
  label: string;
  rules: FirewallRules;
}

/**
 * Failures are classified so workflows know whether to retry: `retryable` (5xx, 429, timeouts, network)
 * or final (4xx other than 429: bad request, not found, forbidden).
 */
export type ProviderErrorKind = 'retryable' | 'final' | 'not_found';

export interface CloudProvider {
  createInstance(request: CreateInstanceRequest): Promise<ProviderInstance>;
  getInstance(id: string): Promise<ProviderInstance | null>;
  /** Idempotent: deleting a missing instance succeeds. */
  deleteInstance(id: string): Promise<void>;
  /** All instances carrying a tag (pagination handled by the adapter). */
  findInstancesByTag(tag: string): Promise<ProviderInstance[]>;
  findInstanceByLabel(label: string): Promise<ProviderInstance | null>;
  boot(id: string): Promise<void>;
  shutdown(id: string): Promise<void>;
  reboot(id: string): Promise<void>;
  /** Sets the instance's label (idempotent: the same label again succeeds). */
  updateInstanceLabel(id: string, label: string): Promise<void>;
  /** Sets the reverse DNS of an IPv4 address of the account; null restores the provider's default. */
  setReverseDns(address: string, hostname: string | null): Promise<void>;
  // ---- backups and firewall (issue 15) ----
  /** The instance's backups (the backup service must be enabled: the provider refuses otherwise). */
  listBackups(instanceId: string): Promise<ProviderBackups>;
  /** Starts a manual snapshot, replacing the instance's previous one once it succeeds. */
  createSnapshot(instanceId: string, label: string): Promise<ProviderBackup>;
  /** Restores one of the instance's backups over its own disks (the instance is powered off meanwhile). */
  restoreBackup(instanceId: string, backupId: string): Promise<void>;
  findFirewallByLabel(label: string): Promise<ProviderFirewall | null>;
  /** Creates a firewall with its rules, protecting the instances given. Not idempotent: find it by label first. */
  createFirewall(request: {
    label: string;
    tags: string[];
    rules: FirewallRules;
    instanceIds: string[];
  }): Promise<ProviderFirewall>;
  /** Replaces a firewall's rules (idempotent). */
  setFirewallRules(firewallId: string, rules: FirewallRules): Promise<void>;
  /** Puts the instance behind the firewall (idempotent: already behind it succeeds). */
  attachFirewallInstance(firewallId: string, instanceId: string): Promise<void>;
  /** Takes the instance from behind the firewall (idempotent: not behind it succeeds). */
  detachFirewallInstance(firewallId: string, instanceId: string): Promise<void>;
  /** The instance's network transfer this month (null: no such instance). */
  getInstanceTransfer(id: string): Promise<InstanceTransfer | null>;
  // ---- rebuild, resize, backups (issue 15) ----
  /** Erases the instance's disks and deploys `image` with a new root password and authorized keys; the instance
   * is `rebuilding`, then running (poll getInstance). Not idempotent: a repeat rebuilds again. */
  rebuildInstance(id: string, request: RebuildInstanceRequest): Promise<void>;
  /** Moves the instance to another plan type (disks grown); `resizing`, then running (poll getInstance). */
  resizeInstance(id: string, type: string): Promise<void>;
  /** Turns the provider's backups service on or off (idempotent: the same state again succeeds). */
  setBackups(id: string, enabled: boolean): Promise<void>;
  listTypes(): Promise<ProviderPlanType[]>;
  listRegions(): Promise<ProviderRegion[]>;
  listImages(): Promise<ProviderImage[]>;
}

export interface ProviderErrorDetail {
  field?: string;
  reason: string;
}

/**
 * What every adapter throws. `kind` decides retrying; `status` is the provider's HTTP status (absent for
 * timeouts and network failures); `reasons` are the provider's own messages (Linode's `errors[]`).
 * Code that may see it across a serialization boundary should test `kind`/`name`, not `instanceof`.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: {
      operation?: string;
      status?: number;
      reasons?: ProviderErrorDetail[];
      /** For 429s: what the provider asked us to wait, in ms. */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError ||
    (error instanceof Error &&
      error.name === 'ProviderError' &&
      ['retryable', 'final', 'not_found'].includes((error as { kind?: unknown }).kind as string))
  );
}
