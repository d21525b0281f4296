/**
 * The simulator's state: instances (deleted ones kept, flagged), fault rules and the seeded PRNG that decides
 * probabilistic faults. Status transitions are computed lazily from timestamps on every read, so there are no
 * timers to leak and delays of 0 are exact.
 */
import { randomUUID } from 'node:crypto';
import { SIMULATOR_TYPES } from './catalog';
import {
  TransferCounters,
  type LinodeTransferMonthRecord,
  type LinodeTransferRecord,
} from './transfer-counters';
import { Fault as GenericFault, FaultRules, FaultSpec as GenericFaultSpec } from '../simulation/fault-rules';

export { seededRandom } from '../simulation/fault-rules';

export const SIMULATOR_OPERATIONS = [
  'createInstance',
  'getInstance',
  'deleteInstance',
  'listInstances',
  'boot',
  'shutdown',
  'reboot',
  'listTypes',
  'listRegions',
  'listImages',
  'updateInstance',
  'getIp',
  'updateIp',
  // ---- backups and firewall (issue 15) ----
  'getBackups',
  'createSnapshot',
  'restoreBackup',
  'getFirewalls',
  'createFirewalls',
  'updateFirewallRules',
  'getFirewallDevices',
  'createFirewallDevice',
  'deleteFirewallDevice',
  'getInstanceTransfer',
  'getInstanceTransferMonth',
  // ---- rebuild, resize, backups (issue 15) ----
  'rebuild',
  'resize',
  'enableBackups',
  'cancelBackups',
] as const;
export type SimulatorOperation = (typeof SIMULATOR_OPERATIONS)[number];
export type FaultOperation = SimulatorOperation | '*';
/**
 * error: HTTP 500 in Linode's error shape. rateLimit: 429 with Retry-After. timeout: the request is never answered
 * (the socket stays open until the client gives up or the simulator closes). stuck: instances created while the
 * fault is active never leave `provisioning` until released. lostAnswer: the request is performed as usual, then the
 * connection is reset instead of answered (the client cannot tell whether it took effect).
 */
export const FAULT_MODES = ['error', 'rateLimit', 'timeout', 'stuck', 'lostAnswer'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type FaultSpec = GenericFaultSpec<SimulatorOperation, FaultMode>;
export type Fault = GenericFault<SimulatorOperation, FaultMode>;

export type LinodeStatus =
  | 'running'
  | 'offline'
  | 'booting'
  | 'rebooting'
  | 'shutting_down'
  | 'provisioning'
  | 'deleting'
  | 'restoring'
  | 'rebuilding'
  | 'resizing';

/** One instance as Linode returns it (GET /linode/instances/{linodeId}). */
export interface LinodeInstanceRecord {
  id: number;
  label: string;
  region: string;
  type: string;
  image: string | null;
  status: LinodeStatus;
  ipv4: string[];
  ipv6: string | null;
  created: string;
  updated: string;
  group: string;
  tags: string[];
  hypervisor: 'kvm';
  host_uuid: string;
  has_user_data: boolean;
  watchdog_enabled: boolean;
  lke_cluster_id: number | null;
  capabilities: string[];
  placement_group: null;
  specs: { disk: number; memory: number; vcpus: number; gpus: number; transfer: number };
  alerts: { cpu: number; io: number; network_in: number; network_out: number; transfer_quota: number };
  backups: {
    available: boolean;
    enabled: boolean;
    schedule: { day: string | null; window: string | null };
  };
}

/** One IP address as Linode returns it (GET /networking/ips/{address}). */
export interface LinodeIpRecord {
  address: string;
  gateway: string | null;
  linode_id: number;
  prefix: number;
  public: boolean;
  rdns: string | null;
  region: string;
  subnet_mask: string;
  type: 'ipv4';
}

/** The reverse DNS Linode gives a public IPv4 address until one is set (and again when it is set to null). */
export function defaultRdns(address: string): string {
  return `${address.replace(/\./g, '-')}.ip.linodeusercontent.com`;
}

// ---- backups and firewall (issue 15) ----

/** One backup as Linode returns it (GET /linode/instances/{linodeId}/backups). */
export interface LinodeBackupRecord {
  id: number;
  type: 'auto' | 'snapshot';
  label: string | null;
  status: 'pending' | 'running' | 'successful' | 'failed';
  created: string;
  updated: string;
  finished?: string;
  available: boolean;
  configs: string[];
  disks: { label: string; size: number; filesystem: 'ext4' | 'swap' }[];
}

/** A backup and when it finishes (taken lazily, like status changes). */
export interface SimulatedBackup {
  record: LinodeBackupRecord;
  finishesAt: number;
}

export interface LinodeFirewallRuleRecord {
  action: 'ACCEPT' | 'DROP';
  protocol: 'TCP' | 'UDP' | 'ICMP' | 'IPENCAP';
  ports?: string;
  addresses: { ipv4?: string[]; ipv6?: string[] };
  label?: string;
}

export interface LinodeFirewallRulesRecord {
  inbound_policy: 'ACCEPT' | 'DROP';
  inbound: LinodeFirewallRuleRecord[];
  outbound_policy: 'ACCEPT' | 'DROP';
  outbound: LinodeFirewallRuleRecord[];
  version: number;
  fingerprint: string;
}

/**
 * One Cloud Firewall as Linode returns it; `linodes` is the simulator's record of its devices (a device's id is its
 * Linode's id in the simulator).
 */
export interface SimulatedFirewall {
  firewall: {
    id: number;
    label: string;
    status: 'enabled';
    tags: string[];
    created: string;
    updated: string;
    rules: LinodeFirewallRulesRecord;
  };
  linodes: number[];
}

/** Simulator bookkeeping around a Linode record; GET /__sim/instances returns these. */
export interface SimulatedInstance {
  linode: LinodeInstanceRecord;
  deleted: boolean;
  deletedAt: string | null;
  /** Created while a `stuck` fault was active and not released yet. */
  stuck: boolean;
  /** Root password and keys are write-only in Linode; kept so tests can check what was sent. */
  rootPass: string | null;
  authorizedKeys: string[];
  /** Reverse DNS by IPv4 address (each address's default until set). */
  rdns: Record<string, string>;
  /**
   * Which SSH host key the instance shows: 0 the simulator's own (generated once per run), then one more per
   * rebuild (a new system has new host keys; ssh-server.ts generates each on first use).
   */
  hostKeyGeneration: number;
  /** Pending status changes, applied when their time has come. */
  pending: { status: LinodeStatus; at: number }[];
  /** Automatic backups (one, taken at creation, when backups are enabled) and manual snapshots, oldest first. */
  backups: SimulatedBackup[];
  /** The backups restored over this instance, by id, in order (tests check what was restored). */
  restoredBackups: number[];
}

export interface SimulatorDelays {
  provisioningMs: number;
  bootingMs: number;
}

export interface CreateInstanceInput {
  label?: string;
  region: string;
  type: string;
  image?: string;
  rootPass?: string;
  authorizedKeys?: string[];
  backupsEnabled?: boolean;
  tags?: string[];
  /** The Cloud Firewall the instance is created behind. */
  firewallId?: number;
  booted?: boolean;
  group?: string;
}

/** Linode writes timestamps without a zone (UTC) and without fractions: "2018-01-01T00:01:01". */
export function linodeTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** TEST-NET ranges (RFC 5737): documentation only, never routed. Addresses are reported, never contacted. */
const TEST_NETS = ['192.0.2', '198.51.100', '203.0.113'];

/**
 * documentation: TEST-NET addresses, never contacted. loopback: 127.77.x.y, one per instance and never reused,
 * for a simulator that also answers SSH on each instance's address (ssh-server.ts).
 */
export type SimulatorAddressing = 'documentation' | 'loopback';
const LOOPBACK_PREFIX = '127.77';

export class SimulatorState {
  private readonly instancesById = new Map<number, SimulatedInstance>();
  private readonly faults: FaultRules<SimulatorOperation, FaultMode>;
  private nextInstanceId = 10_000_001;
  private nextLoopbackHost = 0;

  constructor(
    readonly delays: SimulatorDelays,
    seed = 1,
    private readonly now: () => number = Date.now,
    readonly addressing: SimulatorAddressing = 'documentation',
  ) {
    this.faults = new FaultRules(seed);
  }

  // ------------------------------------------------------------------ faults

  addFault(spec: FaultSpec): Fault {
    return this.faults.add(spec);
  }

  listFaults(): Fault[] {
    return this.faults.list();
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * The fault that hits this request, if any (consuming one firing). `stuck` faults only apply to createInstance
   * and are taken through {@link takeStuck}; request-level modes are matched here.
   */
  takeFault(operation: SimulatorOperation): Fault | null {
    return this.faults.take(operation, (mode) => mode !== 'stuck');
  }

  takeStuck(): boolean {
    return this.faults.take('createInstance', (mode) => mode === 'stuck') !== null;
  }

  // ------------------------------------------------------------------ transfer

  /** Network transfer counters (transfer-counters.ts). */
  readonly transfer = new TransferCounters();

  private transferSubject(instance: SimulatedInstance) {
    return {
      id: instance.linode.id,
      createdMs: Date.parse(`${instance.linode.created}Z`),
      deletedMs: instance.deletedAt === null ? null : Date.parse(`${instance.deletedAt}Z`),
      transferGb: instance.linode.specs.transfer,
    };
  }

  /** The simulator's clock (ms). */
  clock(): number {
    return this.now();
  }

  transferOf(instance: SimulatedInstance): LinodeTransferRecord {
    return this.transfer.current(this.transferSubject(instance), this.now());
  }

  transferMonthOf(instance: SimulatedInstance, year: number, month: number): LinodeTransferMonthRecord {
    return this.transfer.month(this.transferSubject(instance), year, month, this.now());
  }

  /** PUT /__sim/instances/{id}/transfer: the counter now, and its rate from now on. */
  setTransfer(instance: SimulatedInstance, used: number, bytesPerSecond?: number) {
    this.transfer.set(instance.linode.id, this.now(), used, bytesPerSecond);
    return this.transferOf(instance);
  }

  // ------------------------------------------------------------------ instances

  /** Every instance ever created, deleted ones included (flagged), oldest first. */
  allInstances(): SimulatedInstance[] {
    return [...this.instancesById.values()].map((instance) => this.advance(instance));
  }

  /** Live (not deleted) instances, oldest first. */
  liveInstances(): SimulatedInstance[] {
    return this.allInstances().filter((instance) => !instance.deleted);
  }

  find(id: number): SimulatedInstance | null {
    const instance = this.instancesById.get(id);
    return instance ? this.advance(instance) : null;
  }

  findLive(id: number): SimulatedInstance | null {
    const instance = this.find(id);
    return instance && !instance.deleted ? instance : null;
  }

  /** Whether a live instance (other than `except`) has this label: Linode labels are unique per account. */
  labelTaken(label: string, except?: SimulatedInstance): boolean {
    const wanted = label.toLowerCase();
    return [...this.instancesById.values()].some(
      (instance) =>
        instance !== except && !instance.deleted && instance.linode.label.toLowerCase() === wanted,
    );
  }

  /** Updates what PUT /linode/instances/{id} may change (validated by the caller). */
  update(instance: SimulatedInstance, changes: { label?: string; tags?: string[] }): void {
    if (changes.label !== undefined) instance.linode.label = changes.label;
    if (changes.tags !== undefined) instance.linode.tags = [...new Set(changes.tags)];
    instance.linode.updated = linodeTimestamp(this.now());
  }

  /** The live instance an IPv4 address belongs to. */
  findByAddress(address: string): SimulatedInstance | null {
    return this.liveInstances().find((instance) => instance.linode.ipv4.includes(address)) ?? null;
  }

  /** The address as Linode describes it (a /24 whose gateway is .1). */
  ipRecord(instance: SimulatedInstance, address: string): LinodeIpRecord {
    return {
      address,
      gateway: `${address.split('.').slice(0, 3).join('.')}.1`,
      linode_id: instance.linode.id,
      prefix: 24,
      public: true,
      rdns: instance.rdns[address] ?? defaultRdns(address),
      region: instance.linode.region,
      subnet_mask: '255.255.255.0',
      type: 'ipv4',
    };
  }

  /** Sets an address's reverse DNS; null restores the default. */
  setRdns(instance: SimulatedInstance, address: string, rdns: string | null): void {
    instance.rdns[address] = rdns ?? defaultRdns(address);
  }

  /** Null when the documentation ranges are exhausted by live instances. */
  private allocateIpv4(): string | null {
    if (this.addressing === 'loopback') {
      // x in 0..255, y in 1..254: 65,024 addresses per simulator run, so a deleted server's never comes back.
      if (this.nextLoopbackHost >= 256 * 254) return null;
      const n = this.nextLoopbackHost++;
      return `${LOOPBACK_PREFIX}.${Math.floor(n / 254)}.${(n % 254) + 1}`;
    }
    const used = new Set<string>();
    for (const instance of this.instancesById.values()) {
      if (!instance.deleted) for (const address of instance.linode.ipv4) used.add(address);
    }
    for (const net of TEST_NETS) {
      for (let host = 1; host <= 254; host++) {
        const address = `${net}.${host}`;
        if (!used.has(address)) return address;
      }
    }
    return null;
  }

  /** Assumes the input was validated (region, type, image exist; label free). */
  create(input: CreateInstanceInput, stuck: boolean): SimulatedInstance | null {
    const type = SIMULATOR_TYPES.find((candidate) => candidate.id === input.type)!;
    const ipv4 = this.allocateIpv4();
    if (ipv4 === null) return null;
    const id = this.nextInstanceId++;
    const now = this.now();
    const stamp = linodeTimestamp(now);
    const instance: SimulatedInstance = {
      linode: {
        id,
        label: input.label ?? `linode${id}`,
        region: input.region,
        type: input.type,
        image: input.image ?? null,
        status: 'provisioning',
        ipv4: [ipv4],
        ipv6: `2001:db8::${Math.floor(id / 0x10000).toString(16)}:${(id % 0x10000).toString(16)}/128`,
        created: stamp,
        updated: stamp,
        group: input.group ?? '',
        tags: [...new Set(input.tags ?? [])],
        hypervisor: 'kvm',
        host_uuid: randomUUID(),
        has_user_data: false,
        watchdog_enabled: true,
        lke_cluster_id: null,
        capabilities: [],
        placement_group: null,
        specs: {
          disk: type.disk,
          memory: type.memory,
          vcpus: type.vcpus,
          gpus: type.gpus,
          transfer: type.transfer,
        },
        alerts: { cpu: 90 * type.vcpus, io: 10000, network_in: 10, network_out: 10, transfer_quota: 80 },
        backups: {
          available: false,
          enabled: input.backupsEnabled ?? false,
          schedule: { day: null, window: null },
        },
      },
      deleted: false,
      deletedAt: null,
      stuck,
      rootPass: input.rootPass ?? null,
      authorizedKeys: input.authorizedKeys ?? [],
      rdns: { [ipv4]: defaultRdns(ipv4) },
      hostKeyGeneration: 0,
      pending: [],
      backups: [],
      restoredBackups: [],
    };
    // Linode takes the first automatic backup within a day; the simulator has one at once to restore.
    if (input.backupsEnabled) instance.backups.push(this.newBackup('auto', null, now, now));
    if (input.firewallId !== undefined) this.attachFirewall(this.firewallsById.get(input.firewallId)!, id);
    if (!stuck) this.scheduleFromProvisioning(instance, now, input.booted ?? true);
    this.instancesById.set(id, instance);
    return instance;
  }

  /** Lets a `stuck` instance continue: provisioning → booting → running with the configured delays. */
  release(id: number): SimulatedInstance | null {
    const instance = this.find(id);
    if (!instance) return null;
    if (instance.stuck) {
      instance.stuck = false;
      this.scheduleFromProvisioning(instance, this.now(), true);
    }
    return this.advance(instance);
  }

  private scheduleFromProvisioning(instance: SimulatedInstance, from: number, booted: boolean): void {
    const provisioned = from + this.delays.provisioningMs;
    instance.pending = booted
      ? [
          { status: 'booting', at: provisioned },
          { status: 'running', at: provisioned + this.delays.bootingMs },
        ]
      : [{ status: 'offline', at: provisioned }];
  }

  // ---- backups and firewall (issue 15) ----

  private readonly firewallsById = new Map<number, SimulatedFirewall>();
  private nextBackupId = 50_000_001;
  private nextFirewallId = 70_000_001;

  private newBackup(
    type: 'auto' | 'snapshot',
    label: string | null,
    at: number,
    finishesAt: number,
  ): SimulatedBackup {
    const stamp = linodeTimestamp(at);
    return {
      record: {
        id: this.nextBackupId++,
        type,
        label,
        status: finishesAt <= at ? 'successful' : 'pending',
        created: stamp,
        updated: stamp,
        ...(finishesAt <= at ? { finished: stamp } : {}),
        available: finishesAt <= at,
        configs: ['My Debian Config'],
        disks: [
          { label: 'Debian Disk', size: 25_000, filesystem: 'ext4' },
          { label: 'Swap Image', size: 512, filesystem: 'swap' },
        ],
      },
      finishesAt,
    };
  }

  /** The instance's backups as GET .../backups answers (a snapshot in progress, the latest finished one). */
  backupsOf(instance: SimulatedInstance) {
    const now = this.now();
    for (const backup of instance.backups) {
      if (backup.record.status !== 'successful' && backup.finishesAt <= now) {
        backup.record.status = 'successful';
        backup.record.available = true;
        backup.record.finished = linodeTimestamp(backup.finishesAt);
        backup.record.updated = backup.record.finished;
      }
    }
    const snapshots = instance.backups.filter((backup) => backup.record.type === 'snapshot');
    const current = snapshots.filter((backup) => backup.record.status === 'successful').at(-1)?.record;
    const inProgress = snapshots.find((backup) => backup.record.status !== 'successful')?.record;
    // Linode answers null for an empty slot, which its published spec does not allow (no `nullable`): the
    // simulator leaves the slot out instead, and the adapter reads both as none.
    return {
      automatic: instance.backups
        .filter((backup) => backup.record.type === 'auto')
        .map((backup) => backup.record),
      snapshot: { ...(current ? { current } : {}), ...(inProgress ? { in_progress: inProgress } : {}) },
    };
  }

  /** Starts a manual snapshot (taken in bootingMs); the previous one is replaced once it succeeds. */
  snapshot(instance: SimulatedInstance, label: string): LinodeBackupRecord {
    const now = this.now();
    const backup = this.newBackup('snapshot', label, now, now + Math.max(1, this.delays.bootingMs));
    // Linode keeps one manual snapshot: the older finished ones go.
    instance.backups = instance.backups.filter(
      (other) => other.record.type === 'auto' || other.record.status !== 'successful',
    );
    instance.backups.push(backup);
    return backup.record;
  }

  /** A backup of this instance that can be restored, or null. */
  restorableBackup(instance: SimulatedInstance, backupId: number): LinodeBackupRecord | null {
    this.backupsOf(instance);
    return instance.backups.find((backup) => backup.record.id === backupId)?.record ?? null;
  }

  /** Restore over the instance's disks: restoring, then offline (Linode leaves it powered off). */
  restore(instance: SimulatedInstance, backupId: number): void {
    instance.restoredBackups.push(backupId);
    this.transition(instance, 'restoring', 'offline');
  }

  /** The firewall's devices as GET .../devices lists them. */
  firewallDevices(firewall: SimulatedFirewall) {
    return firewall.linodes.map((linodeId) => ({
      id: linodeId,
      created: firewall.firewall.created,
      updated: firewall.firewall.updated,
      entity: { id: linodeId, type: 'linode' as const, label: this.find(linodeId)?.linode.label ?? '' },
    }));
  }

  attachFirewall(firewall: SimulatedFirewall, linodeId: number): void {
    if (!firewall.linodes.includes(linodeId)) firewall.linodes.push(linodeId);
  }

  detachFirewall(firewall: SimulatedFirewall, linodeId: number): boolean {
    const before = firewall.linodes.length;
    firewall.linodes = firewall.linodes.filter((id) => id !== linodeId);
    return firewall.linodes.length < before;
  }

  allFirewalls(): SimulatedFirewall[] {
    return [...this.firewallsById.values()];
  }

  findFirewall(id: number): SimulatedFirewall | null {
    return this.firewallsById.get(id) ?? null;
  }

  firewallLabelTaken(label: string): boolean {
    return this.allFirewalls().some((firewall) => firewall.firewall.label === label);
  }

  createFirewall(
    label: string,
    tags: string[],
    rules: Omit<LinodeFirewallRulesRecord, 'version' | 'fingerprint'>,
    linodes: number[],
  ): SimulatedFirewall {
    const stamp = linodeTimestamp(this.now());
    const firewall: SimulatedFirewall = {
      firewall: {
        id: this.nextFirewallId++,
        label,
        status: 'enabled',
        tags: [...new Set(tags)],
        created: stamp,
        updated: stamp,
        rules: { ...rules, version: 1, fingerprint: randomUUID().replace(/-/g, '').slice(0, 8) },
      },
      linodes: [...new Set(linodes)],
    };
    this.firewallsById.set(firewall.firewall.id, firewall);
    return firewall;
  }

  setFirewallRules(
    firewall: SimulatedFirewall,
    rules: Omit<LinodeFirewallRulesRecord, 'version' | 'fingerprint'>,
  ): void {
    firewall.firewall.rules = {
      ...rules,
      version: firewall.firewall.rules.version + 1,
      fingerprint: randomUUID().replace(/-/g, '').slice(0, 8),
    };
    firewall.firewall.updated = linodeTimestamp(this.now());
  }

  /** Marks the instance deleted (kept for /__sim/instances). */
  delete(instance: SimulatedInstance): void {
    instance.deleted = true;
    instance.deletedAt = linodeTimestamp(this.now());
    instance.pending = [];
    instance.linode.updated = instance.deletedAt;
  }

  /** Boot: offline → booting → running. */
  boot(instance: SimulatedInstance): void {
    this.transition(instance, 'booting', 'running');
  }

  /** Reboot: running or offline → rebooting/booting → running. */
  reboot(instance: SimulatedInstance): void {
    this.transition(instance, instance.linode.status === 'running' ? 'rebooting' : 'booting', 'running');
  }

  /** Shutdown: running → shutting_down → offline. */
  shutdown(instance: SimulatedInstance): void {
    this.transition(instance, 'shutting_down', 'offline');
  }

  // ---- rebuild, resize, backups (issue 15) ----

  /**
   * Rebuild: every disk erased and the image deployed again with the new root password and keys (a new system,
   * hence a new SSH host key): rebuilding, then running after the provisioning and boot delays.
   */
  rebuild(
    instance: SimulatedInstance,
    input: { image: string; rootPass: string; authorizedKeys: string[] },
  ): void {
    instance.linode.image = input.image;
    instance.rootPass = input.rootPass;
    instance.authorizedKeys = [...input.authorizedKeys];
    instance.hostKeyGeneration += 1;
    this.job(instance, 'rebuilding', this.delays.provisioningMs + this.delays.bootingMs);
  }

  /** Resize (a cold migration): resizing, then running on the new type with its specs (disks grown). */
  resize(instance: SimulatedInstance, typeId: string): void {
    const type = SIMULATOR_TYPES.find((candidate) => candidate.id === typeId)!;
    instance.linode.type = type.id;
    instance.linode.specs = {
      disk: type.disk,
      memory: type.memory,
      vcpus: type.vcpus,
      gpus: type.gpus,
      transfer: type.transfer,
    };
    this.job(instance, 'resizing', this.delays.provisioningMs + this.delays.bootingMs);
  }

  /** Backups on or off (the backups service; nothing to wait for). */
  setBackups(instance: SimulatedInstance, enabled: boolean): void {
    instance.linode.backups.enabled = enabled;
    instance.linode.backups.available = enabled;
    instance.linode.updated = linodeTimestamp(this.now());
  }

  private job(instance: SimulatedInstance, during: LinodeStatus, durationMs: number): void {
    const now = this.now();
    instance.linode.status = during;
    instance.linode.updated = linodeTimestamp(now);
    instance.pending = [{ status: 'running', at: now + durationMs }];
    this.advance(instance);
  }

  /** True while a job (provisioning, booting, …) is in progress: Linode answers "Linode busy." then. */
  isBusy(instance: SimulatedInstance): boolean {
    const status = instance.linode.status;
    return status !== 'running' && status !== 'offline';
  }

  private transition(instance: SimulatedInstance, during: LinodeStatus, after: LinodeStatus): void {
    const now = this.now();
    instance.linode.status = during;
    instance.linode.updated = linodeTimestamp(now);
    instance.pending = [{ status: after, at: now + this.delays.bootingMs }];
    this.advance(instance);
  }

  private advance(instance: SimulatedInstance): SimulatedInstance {
    const now = this.now();
    while (instance.pending.length > 0 && instance.pending[0].at <= now) {
      const step = instance.pending.shift()!;
      instance.linode.status = step.status;
      instance.linode.updated = linodeTimestamp(step.at);
    }
    return instance;
  }
}
