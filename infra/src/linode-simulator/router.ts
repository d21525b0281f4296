/**
 * The simulator's /v4 routes: which Linode operation a method and path name, and what each operation does to the
 * state and answers. Authentication, fault injection and the HTTP exchange itself are linode-simulator.ts's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from './catalog';
import { badRequest, notFound } from './linode-errors';
import { applyXFilter } from './linode-filter';
import {
  isRecord,
  pageParams,
  parseInstanceId,
  validateCreate,
  validatePowerActionBody,
  validateRdns,
  validateTransferMonth,
  validateRebuild,
  validateResize,
  validateUpdate,
  validateCreateFirewall,
  validateFirewallDevice,
  validateFirewallRules,
  validateRestoreBody,
  validateSnapshotBody,
} from './request-validation';
import { SimulatorOperation, SimulatorState } from './simulator-state';
import type { SimulatorSsh } from './ssh-server';

export interface Route {
  operation: SimulatorOperation;
  instanceId?: string;
  /** The IP address of /networking/ips/{address}. */
  address?: string;
  /** The backup of .../backups/{backupId}/restore. */
  backupId?: string;
  /** The firewall of /networking/firewalls/{firewallId}/rules and /devices. */
  firewallId?: string;
  deviceId?: string;
  /** The year and month of /linode/instances/{id}/transfer/{year}/{month}, as in the path. */
  year?: string;
  month?: string;
}

// ---- backups and firewall (issue 15) ----
function backupsAndFirewallRoute(method: string, path: string): Route | null {
  const backups = /^\/linode\/instances\/([^/]+)\/backups\/?$/.exec(path);
  if (backups) {
    if (method === 'GET') return { operation: 'getBackups', instanceId: backups[1] };
    if (method === 'POST') return { operation: 'createSnapshot', instanceId: backups[1] };
    return null;
  }
  const restore = /^\/linode\/instances\/([^/]+)\/backups\/([^/]+)\/restore\/?$/.exec(path);
  if (restore && method === 'POST')
    return { operation: 'restoreBackup', instanceId: restore[1], backupId: restore[2] };
  if (/^\/networking\/firewalls\/?$/.test(path)) {
    if (method === 'GET') return { operation: 'getFirewalls' };
    if (method === 'POST') return { operation: 'createFirewalls' };
    return null;
  }
  const devices = /^\/networking\/firewalls\/([^/]+)\/devices\/?$/.exec(path);
  if (devices) {
    if (method === 'GET') return { operation: 'getFirewallDevices', firewallId: devices[1] };
    if (method === 'POST') return { operation: 'createFirewallDevice', firewallId: devices[1] };
    return null;
  }
  const device = /^\/networking\/firewalls\/([^/]+)\/devices\/([^/]+)\/?$/.exec(path);
  if (device && method === 'DELETE')
    return { operation: 'deleteFirewallDevice', firewallId: device[1], deviceId: device[2] };
  const rules = /^\/networking\/firewalls\/([^/]+)\/rules\/?$/.exec(path);
  if (rules && method === 'PUT') return { operation: 'updateFirewallRules', firewallId: rules[1] };
  return null;
}

/** The operation a request names (path without the /v4 prefix); null for an unknown route or method. */
export function route(method: string, path: string): Route | null {
  const instances = /^\/linode\/instances\/?$/;
  const instance = /^\/linode\/instances\/([^/]+)\/?$/;
  const action = /^\/linode\/instances\/([^/]+)\/(boot|reboot|shutdown)\/?$/;
  if (instances.test(path)) {
    if (method === 'GET') return { operation: 'listInstances' };
    if (method === 'POST') return { operation: 'createInstance' };
    return null;
  }
  let match = instance.exec(path);
  if (match) {
    if (method === 'GET') return { operation: 'getInstance', instanceId: match[1] };
    if (method === 'DELETE') return { operation: 'deleteInstance', instanceId: match[1] };
    if (method === 'PUT') return { operation: 'updateInstance', instanceId: match[1] };
    return null;
  }
  const ip = /^\/networking\/ips\/([^/]+)\/?$/.exec(path);
  if (ip) {
    const address = decodeURIComponent(ip[1]);
    if (method === 'GET') return { operation: 'getIp', address };
    if (method === 'PUT') return { operation: 'updateIp', address };
    return null;
  }
  // ---- rebuild, resize, backups (issue 15) ----
  const job = /^\/linode\/instances\/([^/]+)\/(rebuild|resize|backups\/enable|backups\/cancel)\/?$/.exec(
    path,
  );
  if (job) {
    if (method !== 'POST') return null;
    const operations = {
      rebuild: 'rebuild',
      resize: 'resize',
      'backups/enable': 'enableBackups',
      'backups/cancel': 'cancelBackups',
    } as const;
    return { operation: operations[job[2] as keyof typeof operations], instanceId: job[1] };
  }
  match = action.exec(path);
  if (match && method === 'POST')
    return { operation: match[2] as 'boot' | 'reboot' | 'shutdown', instanceId: match[1] };
  const extra = backupsAndFirewallRoute(method, path);
  if (extra) return extra;
  const transfer = /^\/linode\/instances\/([^/]+)\/transfer(?:\/([^/]+)\/([^/]+))?\/?$/.exec(path);
  if (transfer && method === 'GET') {
    if (transfer[2] === undefined) return { operation: 'getInstanceTransfer', instanceId: transfer[1] };
    return {
      operation: 'getInstanceTransferMonth',
      instanceId: transfer[1],
      year: transfer[2],
      month: transfer[3],
    };
  }
  if (method === 'GET' && /^\/linode\/types\/?$/.test(path)) return { operation: 'listTypes' };
  if (method === 'GET' && /^\/regions\/?$/.test(path)) return { operation: 'listRegions' };
  if (method === 'GET' && /^\/images\/?$/.test(path)) return { operation: 'listImages' };
  return null;
}

function paginate<T>(items: readonly T[], query: URLSearchParams) {
  const { page, pageSize } = pageParams(query);
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  return {
    data: items.slice((page - 1) * pageSize, page * pageSize),
    page,
    pages,
    results: items.length,
  };
}

export interface OperationRequest {
  route: Route;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface OperationAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Performs one operation on the state; failures are thrown as HttpFailure in Linode's error shape. */
export async function performOperation(
  state: SimulatorState,
  ssh: SimulatorSsh | null,
  { route: matched, body, query, headers }: OperationRequest,
): Promise<OperationAnswer> {
  switch (matched.operation) {
    case 'listInstances': {
      const records = state.liveInstances().map((instance) => instance.linode);
      return { status: 200, body: paginate(applyXFilter(records, headers['x-filter']), query) };
    }
    case 'createInstance': {
      const input = validateCreate(body, state);
      const instance = state.create(input, state.takeStuck());
      if (!instance) throw badRequest([{ reason: 'No IPv4 addresses available in the simulator' }]);
      // The address answers SSH before anyone learns it.
      await ssh?.sync();
      return { status: 200, body: instance.linode };
    }
    case 'getInstance': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      return { status: 200, body: instance.linode };
    }
    case 'deleteInstance': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      state.delete(instance);
      await ssh?.sync();
      return { status: 200, body: {} };
    }
    case 'boot':
    case 'reboot':
    case 'shutdown': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      validatePowerActionBody(body);
      if (state.isBusy(instance)) throw badRequest([{ reason: 'Linode busy.' }]);
      const status = instance.linode.status;
      if (matched.operation === 'boot' && status === 'offline') state.boot(instance);
      if (matched.operation === 'reboot') state.reboot(instance);
      if (matched.operation === 'shutdown' && status === 'running') state.shutdown(instance);
      // Ends console sessions of a server that is going down.
      await ssh?.sync();
      return { status: 200, body: {} };
    }
    case 'updateInstance': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      state.update(instance, validateUpdate(body, state, instance));
      return { status: 200, body: instance.linode };
    }
    case 'getIp':
    case 'updateIp': {
      const address = matched.address ?? '';
      const instance = state.findByAddress(address);
      if (!instance) throw notFound();
      if (matched.operation === 'updateIp') state.setRdns(instance, address, validateRdns(body));
      return { status: 200, body: state.ipRecord(instance, address) };
    }
    // ---- backups and firewall (issue 15) ----
    case 'getBackups':
    case 'createSnapshot': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      if (!instance.linode.backups.enabled)
        throw badRequest([{ reason: 'Backups are not enabled for this Linode.' }]);
      if (matched.operation === 'getBackups') return { status: 200, body: state.backupsOf(instance) };
      const label = validateSnapshotBody(body);
      if (state.backupsOf(instance).snapshot.in_progress !== undefined)
        throw badRequest([{ reason: 'A snapshot is already in progress.' }]);
      return { status: 200, body: state.snapshot(instance, label) };
    }
    case 'restoreBackup': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      const backup = state.restorableBackup(instance, parseInstanceId(matched.backupId));
      if (!backup) throw notFound();
      const { linodeId, overwrite } = validateRestoreBody(body);
      // Stratus restores a server's backup over itself; another target is refused like an unknown Linode.
      if (linodeId !== instance.linode.id) throw badRequest([{ field: 'linode_id', reason: 'Not found' }]);
      if (!overwrite)
        throw badRequest([
          { field: 'overwrite', reason: 'The Linode has no space for the backup without overwrite' },
        ]);
      if (!backup.available) throw badRequest([{ reason: 'Backup is not available for restoration.' }]);
      if (state.isBusy(instance)) throw badRequest([{ reason: 'Linode busy.' }]);
      state.restore(instance, backup.id);
      await ssh?.sync();
      return { status: 200, body: {} };
    }
    case 'getFirewalls':
      return {
        status: 200,
        body: paginate(
          state.allFirewalls().map((firewall) => firewall.firewall),
          query,
        ),
      };
    case 'createFirewalls': {
      const input = validateCreateFirewall(body, state);
      return {
        status: 200,
        body: state.createFirewall(input.label, input.tags, input.rules, input.linodes).firewall,
      };
    }
    case 'updateFirewallRules': {
      const firewall = state.findFirewall(parseInstanceId(matched.firewallId));
      if (!firewall) throw notFound();
      state.setFirewallRules(firewall, validateFirewallRules(body));
      return { status: 200, body: firewall.firewall.rules };
    }
    case 'getFirewallDevices':
    case 'createFirewallDevice':
    case 'deleteFirewallDevice': {
      const firewall = state.findFirewall(parseInstanceId(matched.firewallId));
      if (!firewall) throw notFound();
      if (matched.operation === 'getFirewallDevices')
        return { status: 200, body: paginate(state.firewallDevices(firewall), query) };
      if (matched.operation === 'deleteFirewallDevice') {
        if (!state.detachFirewall(firewall, parseInstanceId(matched.deviceId))) throw notFound();
        return { status: 200, body: {} };
      }
      const linodeId = validateFirewallDevice(body, state);
      if (firewall.linodes.includes(linodeId))
        throw badRequest([{ field: 'id', reason: 'This Linode is already assigned to this Firewall' }]);
      state.attachFirewall(firewall, linodeId);
      return { status: 200, body: state.firewallDevices(firewall).find((d) => d.id === linodeId) };
    }
    case 'getInstanceTransfer': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      return { status: 200, body: state.transferOf(instance) };
    }
    case 'getInstanceTransferMonth': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      const { year, month } = validateTransferMonth(matched.year, matched.month, state.clock());
      return { status: 200, body: state.transferMonthOf(instance, year, month) };
    }
    // ---- rebuild, resize, backups (issue 15) ----
    case 'rebuild':
    case 'resize': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      const input = matched.operation === 'rebuild' ? validateRebuild(body) : null;
      const type = matched.operation === 'resize' ? validateResize(body, instance) : null;
      if (state.isBusy(instance)) throw badRequest([{ reason: 'Linode busy.' }]);
      if (input) state.rebuild(instance, input);
      if (type) state.resize(instance, type);
      // Sessions end while the instance is rebuilt or migrated; a rebuilt one shows its new host key.
      await ssh?.sync();
      return { status: 200, body: matched.operation === 'rebuild' ? instance.linode : {} };
    }
    case 'enableBackups':
    case 'cancelBackups': {
      const instance = state.findLive(parseInstanceId(matched.instanceId));
      if (!instance) throw notFound();
      if (body !== undefined && (!isRecord(body) || Object.keys(body).length > 0))
        throw badRequest([{ reason: 'This operation takes no body' }]);
      state.setBackups(instance, matched.operation === 'enableBackups');
      return { status: 200, body: {} };
    }
    case 'listTypes':
      return { status: 200, body: paginate(SIMULATOR_TYPES, query) };
    case 'listRegions':
      return { status: 200, body: paginate(SIMULATOR_REGIONS, query) };
    case 'listImages':
      return { status: 200, body: paginate(SIMULATOR_IMAGES, query) };
  }
}
