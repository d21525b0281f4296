/** The HTTP plumbing the simulators share: JSON answers, bounded request bodies, and a listener that can close. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

export const MAX_BODY_BYTES = 1024 * 1024;

/** A port nobody listens on right now (for a child process that must be told its port). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const probe = createNetServer();
    probe.once('error', rejectPort);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/** The request's body as text; null when it is larger than `maxBytes`. */
export async function readRequestBody(
  request: IncomingMessage,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

export interface ListeningServer {
  port: number;
  /** The URL origin, e.g. http://127.0.0.1:4010 (IPv6 hosts bracketed). */
  origin: string;
  /** Stops listening and drops open connections, including requests held on purpose (`timeout` faults). */
  close(): Promise<void>;
}

/** Listens on host:port (0 = a free port), keeping track of sockets so close() never waits on one. */
export async function listen(server: Server, port: number, host: string): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    port: actualPort,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Held requests and keep-alive sockets would keep close() waiting forever.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** One request to a simulator's API and the answer it got, for `observe` callbacks (tests check both sides). */
export interface ObservedExchange<Operation extends string> {
  /** The operation the request named; null for an unknown route (or one not reached yet). */
  operation: Operation | null;
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body; undefined when there was none (or it was not JSON). */
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

/**
 * The exchange a request starts and `finish`, which answers it with JSON and then shows the exchange to `observe`
 * when `observed(exchange)` holds.
 */
export function beginExchange<Operation extends string>(
  request: IncomingMessage,
  response: ServerResponse,
  observe: ((exchange: ObservedExchange<Operation>) => void) | undefined,
  observed: (exchange: ObservedExchange<Operation>) => boolean,
): {
  url: URL;
  exchange: ObservedExchange<Operation>;
  finish: (status: number, body: unknown, headers?: Record<string, string>) => void;
} {
  const url = new URL(request.url ?? '/', 'http://simulator');
  const exchange: ObservedExchange<Operation> = {
    operation: null,
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    requestBody: undefined,
    status: 0,
    responseBody: undefined,
  };
  const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
    sendJson(response, status, body, headers);
    if (observe && observed(exchange)) {
      exchange.status = status;
      exchange.responseBody = body;
      observe(exchange);
    }
  };
  return { url, exchange, finish };
}
