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
} from './request-validation';
import { SimulatorOperation, SimulatorState } from './simulator-state';
import type { SimulatorSsh } from './ssh-server';

export interface Route {
  operation: SimulatorOperation;
  instanceId?: string;
  /** The IP address of /networking/ips/{address}. */
  address?: string;
  /** The year and month of /linode/instances/{id}/transfer/{year}/{month}, as in the path. */
  year?: string;
  month?: string;
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
