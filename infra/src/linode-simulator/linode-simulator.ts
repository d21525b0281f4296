/**
 * A Linode API v4 simulator for development and tests: the instance, type, region and image operations Stratus
 * uses, in the request/response shapes of Linode's published OpenAPI spec, behind a bearer token, with status
 * transitions on configurable delays and fault injection over HTTP (/__sim/…) or through `state`.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from './catalog';
import {
  CreateInstanceInput,
  FAULT_MODES,
  FaultSpec,
  SIMULATOR_OPERATIONS,
  SimulatedInstance,
  SimulatorDelays,
  SimulatorOperation,
  SimulatorState,
} from './simulator-state';
import { SimulatorSsh, startSimulatorSsh } from './ssh-server';

export interface LinodeSimulatorOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Status transition delays; default ~1500 ms each, 0 in tests and benchmarks. */
  delays?: Partial<SimulatorDelays>;
  /** Bearer token the API requires; default 'simulator-token'. */
  token?: string;
  /** Seed of the PRNG behind probabilistic faults; default 1. */
  seed?: number;
  /** Sees every /v4 exchange (after the response is decided); tests validate both sides against the spec here. */
  observe?: (exchange: SimulatorExchange) => void;
  /**
   * Runs the SSH daemon (ssh-server.ts) on this port (0 = a free one): instances then get loopback addresses
   * (127.77.x.y) that answer SSH as root with their root_pass. Absent: no SSH, TEST-NET addresses.
   */
  sshPort?: number;
}

export interface SimulatorExchange {
  operation: SimulatorOperation | null;
  method: string;
  /** Path without the query, e.g. /v4/linode/instances/10000001. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body; undefined when there was none (or it was not JSON). */
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export interface LinodeSimulator {
  /** Base URL of the API, e.g. http://127.0.0.1:4010/v4 (what LINODE_API_URL takes). */
  url: string;
  port: number;
  /** Stops listening and drops open connections, including requests held by `timeout` faults. */
  close(): Promise<void>;
  state: SimulatorState;
  /** Set when started with `sshPort`. */
  ssh: SimulatorSsh | null;
}

export const SIMULATOR_DEFAULTS = {
  port: 4010,
  host: '127.0.0.1',
  token: 'simulator-token',
  delays: { provisioningMs: 1500, bootingMs: 1500 },
} as const;

const MAX_BODY_BYTES = 1024 * 1024;
const LABEL_PATTERN = /^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$/;
const FILTERABLE_FIELDS = new Set([
  'id',
  'label',
  'region',
  'tags',
  'group',
  'image',
  'type',
  'status',
  'ipv4',
]);

interface LinodeErrorItem {
  field?: string;
  reason: string;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: LinodeErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((error) => error.reason).join('; '));
  }
}

const notFound = () => new HttpFailure(404, [{ reason: 'Not found' }]);
const badRequest = (errors: LinodeErrorItem[]) => new HttpFailure(400, errors);

interface Route {
  operation: SimulatorOperation;
  instanceId?: string;
}

function route(method: string, path: string): Route | null {
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
    return null;
  }
  match = action.exec(path);
  if (match && method === 'POST')
    return { operation: match[2] as 'boot' | 'reboot' | 'shutdown', instanceId: match[1] };
  if (method === 'GET' && /^\/linode\/types\/?$/.test(path)) return { operation: 'listTypes' };
  if (method === 'GET' && /^\/regions\/?$/.test(path)) return { operation: 'listRegions' };
  if (method === 'GET' && /^\/images\/?$/.test(path)) return { operation: 'listImages' };
  return null;
}

// ------------------------------------------------------------------ request helpers

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badRequest([{ reason: 'Request body too large' }]);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest([{ reason: 'Invalid JSON' }]);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pageParams(query: URLSearchParams): { page: number; pageSize: number } {
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

// ------------------------------------------------------------------ X-Filter (the subset Linode documents)

type Filter = Record<string, unknown>;

function parseFilter(header: string | string[] | undefined): Filter | null {
  if (header === undefined) return null;
  const text = Array.isArray(header) ? header.join('') : header;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest([{ field: 'X-Filter', reason: 'Invalid JSON' }]);
  }
  if (!isRecord(parsed)) throw badRequest([{ field: 'X-Filter', reason: 'Filter must be an object' }]);
  return parsed;
}

function fieldMatches(value: unknown, condition: unknown, field: string): boolean {
  // Linode: a scalar on an array field (tags, ipv4) matches when the array contains it.
  const values = Array.isArray(value) ? value : [value];
  if (!isRecord(condition)) return values.some((candidate) => candidate === condition);
  return Object.entries(condition).every(([operator, operand]) => {
    switch (operator) {
      case '+contains':
        return values.some(
          (candidate) => typeof candidate === 'string' && candidate.includes(String(operand)),
        );
      case '+neq':
        return values.every((candidate) => candidate !== operand);
      case '+gt':
        return values.some((candidate) => typeof candidate === 'number' && candidate > Number(operand));
      case '+gte':
        return values.some((candidate) => typeof candidate === 'number' && candidate >= Number(operand));
      case '+lt':
        return values.some((candidate) => typeof candidate === 'number' && candidate < Number(operand));
      case '+lte':
        return values.some((candidate) => typeof candidate === 'number' && candidate <= Number(operand));
      default:
        throw badRequest([{ field: 'X-Filter', reason: `Unknown filter operator ${operator} on ${field}` }]);
    }
  });
}

function matchesFilter(record: Record<string, unknown>, filter: Filter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '+order_by' || key === '+order') return true;
    if (key === '+and' || key === '+or') {
      if (!Array.isArray(condition) || !condition.every(isRecord))
        throw badRequest([{ field: 'X-Filter', reason: `${key} must be a list of filters` }]);
      const results = (condition as Filter[]).map((inner) => matchesFilter(record, inner));
      return key === '+and' ? results.every(Boolean) : results.some(Boolean);
    }
    if (!FILTERABLE_FIELDS.has(key))
      throw badRequest([{ field: 'X-Filter', reason: `Cannot filter on ${key}` }]);
    return fieldMatches(record[key], condition, key);
  });
}

function applyOrder<T extends Record<string, unknown>>(records: T[], filter: Filter | null): T[] {
  const orderBy = filter?.['+order_by'];
  if (typeof orderBy !== 'string') return records;
  if (!FILTERABLE_FIELDS.has(orderBy))
    throw badRequest([{ field: 'X-Filter', reason: `Cannot order by ${orderBy}` }]);
  const direction = filter?.['+order'] === 'desc' ? -1 : 1;
  return [...records].sort((a, b) => {
    const left = String(a[orderBy]);
    const right = String(b[orderBy]);
    return left < right ? -direction : left > right ? direction : 0;
  });
}

// ------------------------------------------------------------------ create validation (Linode's messages)

function validateCreate(body: unknown, state: SimulatorState): CreateInstanceInput {
  if (!isRecord(body)) throw badRequest([{ reason: 'Request body must be a JSON object' }]);
  const errors: LinodeErrorItem[] = [];
  const optionalString = (field: string): string | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      errors.push({ field, reason: `${field} must be a string` });
      return undefined;
    }
    return value;
  };
  const stringList = (field: string): string[] | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      errors.push({ field, reason: `${field} must be a list of strings` });
      return undefined;
    }
    return value as string[];
  };
  const optionalBoolean = (field: string): boolean | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      errors.push({ field, reason: `${field} must be a boolean` });
      return undefined;
    }
    return value;
  };

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
  if (label !== undefined) {
    if (label.length < 3 || label.length > 64)
      errors.push({ field: 'label', reason: 'Length must be 3-64 characters' });
    else if (!LABEL_PATTERN.test(label))
      errors.push({
        field: 'label',
        reason:
          "Label must begin with a letter, and can only contain letters, numbers, dashes, underscores and periods; no '--', '__' or '..'",
      });
    else if (state.labelTaken(label))
      errors.push({ field: 'label', reason: 'Label must be unique among your linodes' });
  }

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
    booted,
    group,
  };
}

function parseInstanceId(raw: string | undefined): number {
  if (raw === undefined || !/^[0-9]{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

function parseFaultSpec(body: unknown): FaultSpec {
  if (!isRecord(body)) throw badRequest([{ reason: 'Body must be a JSON object' }]);
  const errors: LinodeErrorItem[] = [];
  const operation = body.operation;
  if (operation !== '*' && !SIMULATOR_OPERATIONS.includes(operation as SimulatorOperation))
    errors.push({
      field: 'operation',
      reason: `operation must be one of ${[...SIMULATOR_OPERATIONS, '*'].join(', ')}`,
    });
  if (!FAULT_MODES.includes(body.mode as (typeof FAULT_MODES)[number]))
    errors.push({ field: 'mode', reason: `mode must be one of ${FAULT_MODES.join(', ')}` });
  if (body.count !== undefined && (!Number.isInteger(body.count) || (body.count as number) < 1))
    errors.push({ field: 'count', reason: 'count must be a positive integer' });
  if (
    body.probability !== undefined &&
    (typeof body.probability !== 'number' || body.probability < 0 || body.probability > 1)
  )
    errors.push({ field: 'probability', reason: 'probability must be a number between 0 and 1' });
  if (body.seed !== undefined && !Number.isInteger(body.seed))
    errors.push({ field: 'seed', reason: 'seed must be an integer' });
  if (
    body.retryAfterSeconds !== undefined &&
    (!Number.isInteger(body.retryAfterSeconds) || (body.retryAfterSeconds as number) < 0)
  )
    errors.push({ field: 'retryAfterSeconds', reason: 'retryAfterSeconds must be a non-negative integer' });
  if (errors.length > 0) throw badRequest(errors);
  return {
    operation: operation as FaultSpec['operation'],
    mode: body.mode as FaultSpec['mode'],
    count: body.count as number | undefined,
    probability: body.probability as number | undefined,
    seed: body.seed as number | undefined,
    retryAfterSeconds: body.retryAfterSeconds as number | undefined,
  };
}

function simInstanceView(instance: SimulatedInstance) {
  return {
    ...instance.linode,
    deleted: instance.deleted,
    deleted_at: instance.deletedAt,
    stuck: instance.stuck,
  };
}

// ------------------------------------------------------------------ server

export async function startLinodeSimulator(options: LinodeSimulatorOptions = {}): Promise<LinodeSimulator> {
  const host = options.host ?? SIMULATOR_DEFAULTS.host;
  const token = options.token ?? SIMULATOR_DEFAULTS.token;
  const delays: SimulatorDelays = { ...SIMULATOR_DEFAULTS.delays, ...options.delays };
  const state = new SimulatorState(
    delays,
    options.seed ?? 1,
    Date.now,
    options.sshPort === undefined ? 'documentation' : 'loopback',
  );
  const ssh =
    options.sshPort === undefined ? null : await startSimulatorSsh(state, { port: options.sshPort });
  const sockets = new Set<Socket>();

  const send = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    response.end(text);
  };

  const handleSim = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    const method = request.method ?? 'GET';
    if (path === '/__sim/faults') {
      if (method === 'GET') return send(response, 200, { data: state.listFaults() });
      if (method === 'DELETE') {
        state.clearFaults();
        return send(response, 200, {});
      }
      if (method === 'POST')
        return send(response, 200, state.addFault(parseFaultSpec(parseJson(await readBody(request)))));
    }
    if (path === '/__sim/instances' && method === 'GET') {
      const all = state.allInstances().map(simInstanceView);
      return send(response, 200, { data: all, results: all.length });
    }
    const release = /^\/__sim\/instances\/([^/]+)\/release$/.exec(path);
    if (release && method === 'POST') {
      const instance = state.release(parseInstanceId(release[1]));
      if (!instance) throw notFound();
      return send(response, 200, simInstanceView(instance));
    }
    throw notFound();
  };

  const handleApi = async (
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: URLSearchParams,
    exchange: SimulatorExchange,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> } | 'hold'> => {
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const body = parseJson(text);
    exchange.requestBody = body;
    if (request.headers.authorization !== `Bearer ${token}`)
      throw new HttpFailure(401, [{ reason: 'Invalid Token' }]);
    const matched = route(method, path);
    if (!matched) throw notFound();
    exchange.operation = matched.operation;

    const fault = state.takeFault(matched.operation);
    if (fault?.mode === 'timeout') return 'hold';
    if (fault?.mode === 'error')
      throw new HttpFailure(500, [{ reason: 'An unexpected error occurred (simulated fault).' }]);
    if (fault?.mode === 'rateLimit')
      throw new HttpFailure(429, [{ reason: 'Too many requests' }], {
        'retry-after': String(fault.retryAfterSeconds ?? 1),
      });

    switch (matched.operation) {
      case 'listInstances': {
        const filter = parseFilter(request.headers['x-filter']);
        let records = state.liveInstances().map((instance) => instance.linode);
        if (filter) {
          records = records.filter((record) =>
            matchesFilter(record as unknown as Record<string, unknown>, filter),
          );
          records = applyOrder(
            records as unknown as Record<string, unknown>[],
            filter,
          ) as unknown as typeof records;
        }
        return { status: 200, body: paginate(records, query) };
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
        if (
          body !== undefined &&
          (!isRecord(body) || (body.config_id !== undefined && !Number.isInteger(body.config_id)))
        )
          throw badRequest([{ field: 'config_id', reason: 'config_id must be an integer' }]);
        if (state.isBusy(instance)) throw badRequest([{ reason: 'Linode busy.' }]);
        const status = instance.linode.status;
        if (matched.operation === 'boot' && status === 'offline') state.boot(instance);
        if (matched.operation === 'reboot') state.reboot(instance);
        if (matched.operation === 'shutdown' && status === 'running') state.shutdown(instance);
        // Ends console sessions of a server that is going down.
        await ssh?.sync();
        return { status: 200, body: {} };
      }
      case 'listTypes':
        return { status: 200, body: paginate(SIMULATOR_TYPES, query) };
      case 'listRegions':
        return { status: 200, body: paginate(SIMULATOR_REGIONS, query) };
      case 'listImages':
        return { status: 200, body: paginate(SIMULATOR_IMAGES, query) };
    }
  };

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname;
    const exchange: SimulatorExchange = {
      operation: null,
      method: request.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: request.headers,
      requestBody: undefined,
      status: 0,
      responseBody: undefined,
    };
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      send(response, status, body, headers);
      if (path.startsWith('/v4/') && options.observe) {
        exchange.status = status;
        exchange.responseBody = body;
        options.observe(exchange);
      }
    };
    const work = path.startsWith('/__sim/')
      ? handleSim(request, response, path).then(() => undefined)
      : path.startsWith('/v4/')
        ? handleApi(request, response, path.slice('/v4'.length), url.searchParams, exchange).then(
            (result) => {
              if (result !== 'hold') finish(result.status, result.body, result.headers);
            },
          )
        : Promise.reject(notFound());
    work.catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof HttpFailure) finish(error.status, { errors: error.errors }, error.headers);
      else finish(500, { errors: [{ reason: 'Internal simulator error' }] });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    const failed = (error: Error) => {
      void ssh?.close();
      rejectListen(error);
    };
    server.once('error', failed);
    server.listen(options.port ?? SIMULATOR_DEFAULTS.port, host, () => {
      server.off('error', failed);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/v4`,
    port,
    state,
    ssh,
    close() {
      closing ??= Promise.all([
        new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          // Held (`timeout`) requests and keep-alive sockets would keep close() waiting forever.
          for (const socket of sockets) socket.destroy();
        }),
        ssh?.close(),
      ]).then(() => undefined);
      return closing;
    },
  };
}
