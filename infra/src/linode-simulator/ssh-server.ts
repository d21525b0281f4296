/**
 * The simulator's SSH daemon: every instance has its own loopback address (127.77.x.y, reported as its ipv4), and
 * one port is listened on at 127.0.0.1 and at each live instance's address, so "ssh root@<ipv4> -p <port>" reaches
 * that instance. Root logs in with the instance's root_pass or one of its authorized_keys (public-key auth, the
 * signature checked), only while it is running; sessions run a sandboxed shell (sandbox-shell.ts). The host key is generated once per simulator and kept in memory;
 * a rebuilt instance (a new system) shows a host key of its own, generated on first use after each rebuild.
 */
import { timingSafeEqual } from 'node:crypto';
import { AddressInfo, createServer, Server as NetServer, Socket } from 'node:net';
import { AuthContext, Connection, ParsedKey, Server as Ssh2Server, ServerChannel, utils } from 'ssh2';
import { SandboxProcess, SandboxShell } from './sandbox-shell';
import { SimulatedInstance, SimulatorState } from './simulator-state';

export interface SimulatorSshOptions {
  /** Default 2222; 0 picks a free port (the same port is then used on every instance address). */
  port?: number;
}

export interface SimulatorSsh {
  port: number;
  /** The host key's public half in OpenSSH format (what a client would pin). */
  hostPublicKey: string;
  /** Listens on new instances' addresses, stops on deleted ones and ends their sessions. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const CHECK_INTERVAL_MS = 1000;
/** Shells running at once across the simulator: a development tool, not a shell host. */
const MAX_SANDBOXES = 32;

function samePassword(given: string, expected: string | null): boolean {
  if (expected === null) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The instance's authorized_keys lines that parse (Linode took them at creation). */
function parsedKeys(lines: readonly string[]): ParsedKey[] {
  return lines.flatMap((line) => {
    const parsed = utils.parseKey(line);
    return parsed instanceof Error ? [] : [Array.isArray(parsed) ? parsed[0] : parsed];
  });
}

/**
 * Public-key auth as sshd does it: a key offered without a signature is only a question (accepted when it is
 * authorized); with a signature, the signature over the session data must verify with that authorized key.
 */
function publicKeyAccepted(ctx: AuthContext, authorized: readonly string[]): boolean {
  if (ctx.method !== 'publickey') return false;
  const key = parsedKeys(authorized).find(
    (candidate) => candidate.type === ctx.key.algo && candidate.getPublicSSH().equals(ctx.key.data),
  );
  if (!key) return false;
  if (!ctx.signature || !ctx.blob) return true;
  return key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true;
}

/** IPv4-mapped IPv6 (::ffff:127.77.0.1) as the plain address. */
const plainAddress = (address: string | undefined) => (address ?? '').replace(/^::ffff:/, '');

export async function startSimulatorSsh(
  state: SimulatorState,
  options: SimulatorSshOptions = {},
): Promise<SimulatorSsh> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const ident = 'OpenSSH_9.2p1 stratus-simulator';
  const ssh = new Ssh2Server({ hostKeys: [hostKey.private], ident });
  /** Rebuilt instances' daemons by "<instance id>:<host key generation>", each with its own host key. */
  const rebuiltDaemons = new Map<string, Ssh2Server>();
  const daemonOf = (instance: SimulatedInstance | null): Ssh2Server => {
    if (!instance || instance.hostKeyGeneration === 0) return ssh;
    const key = `${instance.linode.id}:${instance.hostKeyGeneration}`;
    let daemon = rebuiltDaemons.get(key);
    if (!daemon) {
      daemon = new Ssh2Server({ hostKeys: [utils.generateKeyPairSync('ed25519').private], ident });
      daemon.on('connection', onConnection);
      rebuiltDaemons.set(key, daemon);
    }
    return daemon;
  };
  const listeners = new Map<string, NetServer>();
  const sockets = new Set<Socket>();
  /** Open connections by the instance they reached, to end them when it stops or goes away. */
  const connections = new Map<Connection, number>();
  const sandboxes = new Set<SandboxProcess>();

  const instanceAt = (address: string): SimulatedInstance | null =>
    state.liveInstances().find((instance) => instance.linode.ipv4.includes(address)) ?? null;
  const isRunning = (id: number) => state.findLive(id)?.linode.status === 'running';

  function onConnection(client: Connection, info: unknown): void {
    // ssh2 records the socket it was handed; its local address tells which instance was dialled.
    const localAddress = plainAddress((client as unknown as { _sock?: Socket })._sock?.localAddress);
    const target = instanceAt(localAddress);
    let instanceId: number | null = target?.linode.id ?? null;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      const instance = instanceId === null ? null : state.findLive(instanceId);
      const loginable = instance !== null && instance.linode.status === 'running' && ctx.username === 'root';
      if (
        loginable &&
        ((ctx.method === 'password' && samePassword(ctx.password, instance.rootPass)) ||
          publicKeyAccepted(ctx, instance.authorizedKeys))
      )
        return ctx.accept();
      ctx.reject(['publickey', 'password']);
    });
    client.on('ready', () => {
      if (instanceId === null) return client.end();
      connections.set(client, instanceId);
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        let pty: { cols: number; rows: number; term: string } | undefined;
        let running: SandboxProcess | null = null;
        session.on('pty', (accept, _reject, ptyInfo) => {
          pty = { cols: ptyInfo.cols, rows: ptyInfo.rows, term: ptyInfo.term };
          accept?.();
        });
        session.on('window-change', (accept, _reject, size) => {
          if (pty) pty = { ...pty, cols: size.cols, rows: size.rows };
          running?.resize(size.cols, size.rows);
          accept?.();
        });
        session.on('env', (accept) => accept?.());
        const start = (channel: ServerChannel, command?: string) => {
          const instance = instanceId === null ? null : state.findLive(instanceId);
          if (!instance || instance.linode.status !== 'running') {
            channel.stderr.write('The server is not running.\r\n');
            channel.exit(1);
            channel.end();
            return;
          }
          if (sandboxes.size >= MAX_SANDBOXES) {
            channel.stderr.write(`Too many sessions on the simulator (max ${MAX_SANDBOXES}).\r\n`);
            channel.exit(1);
            channel.end();
            return;
          }
          try {
            running = sandbox.spawn({ hostname: instance.linode.label, pty, command });
          } catch (error) {
            channel.stderr.write(`${(error as Error).message}\r\n`);
            channel.exit(1);
            channel.end();
            return;
          }
          const proc = running;
          sandboxes.add(proc);
          proc.child.stdout?.pipe(channel, { end: false });
          proc.child.stderr?.pipe(channel.stderr, { end: false });
          channel.pipe(proc.child.stdin!);
          channel.on('close', () => proc.kill());
          channel.on('error', () => proc.kill());
          proc.child.on('error', (error) => {
            channel.stderr.write(`${error.message}\r\n`);
          });
          proc.child.on('close', (code, signal) => {
            sandboxes.delete(proc);
            if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
            else channel.exit(code ?? 0);
            channel.end();
          });
        };
        session.on('shell', (accept) => start(accept()));
        session.on('exec', (accept, _reject, execInfo) => start(accept(), execInfo.command));
        session.on('subsystem', (_accept, reject) => reject());
        session.on('sftp', (_accept, reject) => reject());
      });
      // No port forwarding out of a simulated server.
      client.on('tcpip', (_accept, reject) => reject());
      client.on('openssh.streamlocal', (_accept, reject) => reject());
      client.on('request', (accept, reject) => reject?.());
    });
    client.on('close', () => {
      connections.delete(client);
      instanceId = null;
    });
    void info;
  }
  ssh.on('connection', onConnection);

  const accept = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    daemonOf(instanceAt(plainAddress(socket.localAddress))).injectSocket(socket);
  };
  const listen = (host: string, port: number) =>
    new Promise<NetServer>((resolveListen, rejectListen) => {
      const server = createServer(accept);
      server.once('error', rejectListen);
      server.listen(port, host, () => {
        server.off('error', rejectListen);
        resolveListen(server);
      });
    });

  // 127.0.0.1 answers too (no instance lives there, so every login fails): the port is taken up front.
  const main = await listen('127.0.0.1', options.port ?? 2222);
  const port = (main.address() as AddressInfo).port;
  const sandbox = new SandboxShell();

  // Sessions of instances that stopped or went away end, as they would on a real server.
  const checker = setInterval(() => {
    for (const [client, id] of connections) if (!isRunning(id)) client.end();
  }, CHECK_INTERVAL_MS);
  checker.unref();

  let syncing: Promise<void> = Promise.resolve();
  const sync = () => {
    syncing = syncing.then(async () => {
      const wanted = new Set(state.liveInstances().flatMap((instance) => instance.linode.ipv4));
      for (const [address, server] of listeners) {
        if (wanted.has(address)) continue;
        listeners.delete(address);
        server.close();
      }
      for (const address of wanted) {
        if (listeners.has(address) || !address.startsWith('127.')) continue;
        listeners.set(address, await listen(address, port));
      }
      for (const [client, id] of connections) if (!isRunning(id)) client.end();
    });
    return syncing;
  };

  let closing: Promise<void> | null = null;
  return {
    port,
    hostPublicKey: hostKey.public,
    sync,
    close() {
      closing ??= (async () => {
        clearInterval(checker);
        await syncing.catch(() => undefined);
        for (const proc of sandboxes) proc.kill();
        for (const client of connections.keys()) client.end();
        const servers = [main, ...listeners.values()];
        listeners.clear();
        const closed = Promise.all(
          servers.map((server) => new Promise<void>((resolveClose) => server.close(() => resolveClose()))),
        );
        // close() waits for open connections; they go now.
        for (const socket of sockets) socket.destroy();
        await closed;
        sandbox.dispose();
      })();
      return closing;
    },
  };
}
