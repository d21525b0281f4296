/**
 * A Linode API v4 simulator for development and tests: the instance, IP address (reverse DNS), type, region and
 * image operations Stratus uses, in the request/response shapes of Linode's published OpenAPI spec, behind a bearer token, with status
 * transitions on configurable delays and fault injection over HTTP (/__sim/…) or through `state`.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  beginExchange,
  listen,
  ListeningServer,
  ObservedExchange,
  sendJson as send,
} from '../simulation/http-server';
import { HttpFailure, notFound } from './linode-errors';
import {
  parseFaultSpec,
  parseInstanceId,
  parseJson,
  parseTransferControl,
  readBody,
} from './request-validation';
import { OperationAnswer, performOperation, route } from './router';
import { SimulatedInstance, SimulatorDelays, SimulatorOperation, SimulatorState } from './simulator-state';
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

export type SimulatorExchange = ObservedExchange<SimulatorOperation>;

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

function simInstanceView(instance: SimulatedInstance) {
  return {
    ...instance.linode,
    deleted: instance.deleted,
    deleted_at: instance.deletedAt,
    stuck: instance.stuck,
    // Write-only at Linode; shown here so tests can check what was sent.
    authorized_keys: instance.authorizedKeys,
    rdns: instance.rdns,
    // How many times it was rebuilt (each rebuild gives it a new SSH host key).
    host_key_generation: instance.hostKeyGeneration,
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
    const transfer = /^\/__sim\/instances\/([^/]+)\/transfer$/.exec(path);
    if (transfer && method === 'PUT') {
      const instance = state.findLive(parseInstanceId(transfer[1]));
      if (!instance) throw notFound();
      const { used, bytesPerSecond } = parseTransferControl(parseJson(await readBody(request)));
      return send(response, 200, state.setTransfer(instance, used, bytesPerSecond));
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
  ): Promise<OperationAnswer | 'hold' | 'drop'> => {
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
    const answer = performOperation(state, ssh, {
      route: matched,
      body,
      query,
      headers: request.headers,
    });
    if (fault?.mode === 'lostAnswer') {
      // The operation took effect (or failed) as usual; only its answer never reaches the client.
      await answer.catch(() => undefined);
      return 'drop';
    }
    return answer;
  };

  const server: Server = createServer((request, response) => {
    const { url, exchange, finish } = beginExchange(request, response, options.observe, (seen) =>
      seen.path.startsWith('/v4/'),
    );
    const path = url.pathname;
    const work = path.startsWith('/__sim/')
      ? handleSim(request, response, path).then(() => undefined)
      : path.startsWith('/v4/')
        ? handleApi(request, response, path.slice('/v4'.length), url.searchParams, exchange).then(
            (result) => {
              // A lost answer: the connection is reset, as when a proxy or the network drops it mid-way.
              if (result === 'drop') request.socket.destroy();
              else if (result !== 'hold') finish(result.status, result.body, result.headers);
            },
          )
        : Promise.reject(notFound());
    work.catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof HttpFailure) finish(error.status, { errors: error.errors }, error.headers);
      else finish(500, { errors: [{ reason: 'Internal simulator error' }] });
    });
  });
  let listening: ListeningServer;
  try {
    listening = await listen(server, options.port ?? SIMULATOR_DEFAULTS.port, host);
  } catch (error) {
    void ssh?.close();
    throw error;
  }
  const { port, origin } = listening;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/v4`,
    port,
    state,
    ssh,
    close() {
      closing ??= Promise.all([listening.close(), ssh?.close()]).then(() => undefined);
      return closing;
    },
  };
}
