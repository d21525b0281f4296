import { AddressInfo, createServer, Server } from 'node:net';
import { Client, ClientChannel, utils } from 'ssh2';
import { LinodeSimulator, SimulatorExchange, startLinodeSimulator } from './linode-simulator';
import { answersOutsideSpec, loadLinodeSpecValidator } from './openapi-validator';

const TOKEN = 'ssh-test-token';
const ROOT_PASS = 'Correct-Horse-7';
let sim: LinodeSimulator;
const exchanges: SimulatorExchange[] = [];

beforeAll(async () => {
  sim = await startLinodeSimulator({
    port: 0,
    token: TOKEN,
    sshPort: 0,
    delays: { provisioningMs: 0, bootingMs: 0 },
    observe: (exchange) => exchanges.push(exchange),
  });
});
afterAll(async () => {
  await sim.close();
  // With SSH the instances' loopback addresses are still answers Linode's spec allows.
  const spec = await loadLinodeSpecValidator();
  const problems = answersOutsideSpec(spec, exchanges);
  expect(exchanges.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id: number; ipv4: string[] } };
}

async function createInstance(
  label: string,
  authorizedKeys?: string[],
): Promise<{ id: number; ipv4: string }> {
  const created = await api('POST', '/linode/instances', {
    region: 'us-east',
    type: 'g6-nanode-1',
    image: 'linode/debian12',
    label,
    root_pass: ROOT_PASS,
    ...(authorizedKeys ? { authorized_keys: authorizedKeys } : {}),
  });
  expect(created.status).toBe(200);
  return { id: created.body.id, ipv4: created.body.ipv4[0] };
}

/** Logs in as root with a password, or with a private key (OpenSSH format). */
function connect(host: string, password: string, privateKey?: string): Promise<Client> {
  return new Promise((resolveConnect, rejectConnect) => {
    const client = new Client();
    client
      .on('ready', () => resolveConnect(client))
      .on('error', rejectConnect)
      .connect({
        host,
        port: sim.ssh!.port,
        username: 'root',
        ...(privateKey ? { privateKey } : { password }),
        readyTimeout: 20_000,
      });
  });
}

function exec(client: Client, command: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolveExec, rejectExec) => {
    client.exec(command, (error, channel) => {
      if (error) return rejectExec(error);
      let stdout = '';
      let stderr = '';
      let code = -1;
      channel.on('data', (data: Buffer) => (stdout += data.toString()));
      channel.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      channel.on('exit', (exitCode: number | null) => (code = exitCode ?? -1));
      channel.on('close', () => resolveExec({ stdout, stderr, code }));
    });
  });
}

/** Resolves with everything received once `pattern` appears in the output. */
function waitForOutput(channel: ClientChannel, read: () => string, pattern: RegExp): Promise<string> {
  return new Promise((resolveWait, rejectWait) => {
    const check = () => {
      if (pattern.test(read())) {
        channel.off('data', check);
        channel.off('close', closed);
        resolveWait(read());
      }
    };
    const closed = () =>
      rejectWait(new Error(`channel closed before ${pattern}; got ${JSON.stringify(read())}`));
    channel.on('data', check);
    channel.on('close', closed);
    check();
  });
}

describe('simulator SSH', () => {
  it('gives each instance its own loopback address and accepts root with its root_pass only', async () => {
    const first = await createInstance('ssh-auth-1');
    const second = await createInstance('ssh-auth-2');
    expect(first.ipv4).toMatch(/^127\.77\.\d+\.\d+$/);
    expect(second.ipv4).not.toBe(first.ipv4);

    await expect(connect(first.ipv4, 'wrong-password')).rejects.toThrow(/authentication/i);
    // 127.0.0.1 is no instance's address: nobody logs in there.
    await expect(connect('127.0.0.1', ROOT_PASS)).rejects.toThrow(/authentication/i);

    const client = await connect(first.ipv4, ROOT_PASS);
    try {
      const result = await exec(client, 'echo hello-from-$(hostname)');
      expect(result).toMatchObject({ stdout: 'hello-from-ssh-auth-1\n', code: 0 });
      const failing = await exec(client, 'exit 7');
      expect(failing.code).toBe(7);
    } finally {
      client.end();
    }
  });

  it.each(['ed25519', 'ecdsa', 'rsa'] as const)(
    'accepts root with a private key whose public half was an authorized_keys line at creation (%s)',
    async (type) => {
      const authorized =
        type === 'rsa'
          ? utils.generateKeyPairSync('rsa', { bits: 2048 })
          : type === 'ecdsa'
            ? utils.generateKeyPairSync('ecdsa', { bits: 256 })
            : utils.generateKeyPairSync('ed25519');
      const stranger = utils.generateKeyPairSync('ed25519');
      const { ipv4 } = await createInstance(`ssh-key-${type}`, [`${authorized.public} laptop`]);

      await expect(connect(ipv4, '', stranger.private)).rejects.toThrow(/authentication/i);
      const client = await connect(ipv4, '', authorized.private);
      client.end();
      // The password still works beside the key.
      (await connect(ipv4, ROOT_PASS)).end();
    },
  );

  it('runs commands in a sandbox: no host files, no secrets, no network', async () => {
    // A port that is open on the host: the sandbox has its own (empty) network namespace.
    const listener: Server = createServer((socket) => socket.end('host-service\n'));
    await new Promise<void>((resolveListen) => listener.listen(0, '127.0.0.1', resolveListen));
    const hostPort = (listener.address() as AddressInfo).port;
    const { ipv4 } = await createInstance('ssh-sandbox');
    const client = await connect(ipv4, ROOT_PASS);
    try {
      const home = await exec(client, 'ls -A /root; echo end');
      expect(home.stdout).toBe('end\n');
      const shadow = await exec(client, 'cat /etc/shadow');
      expect(shadow.code).not.toBe(0);
      const repo = await exec(client, `test -e ${JSON.stringify(process.cwd())}`);
      expect(repo.code).not.toBe(0);
      const network = await exec(client, `exec 3<>/dev/tcp/127.0.0.1/${hostPort} && cat <&3`);
      expect(network.code).not.toBe(0);
      expect(network.stdout).not.toContain('host-service');
      const writeUsr = await exec(client, 'touch /usr/stratus-sandbox-test');
      expect(writeUsr.code).not.toBe(0);
      const scratch = await exec(client, 'df -k /root | tail -1');
      expect(Number(scratch.stdout.trim().split(/\s+/)[1])).toBeLessThanOrEqual(64 * 1024);
      const capabilities = await exec(client, 'grep CapEff /proc/self/status');
      expect(capabilities.stdout).toMatch(/^CapEff:\s+0+$/m);
      const ownProc = await exec(client, 'ls /proc | grep -c "^[0-9]"');
      expect(Number(ownProc.stdout.trim())).toBeLessThan(10);
    } finally {
      client.end();
      await new Promise((resolveClose) => listener.close(resolveClose));
    }
  });

  it('opens an interactive shell on a pty that follows window changes', async () => {
    const { ipv4 } = await createInstance('ssh-pty');
    const client = await connect(ipv4, ROOT_PASS);
    try {
      const channel = await new Promise<ClientChannel>((resolveShell, rejectShell) =>
        client.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, (error, stream) =>
          error ? rejectShell(error) : resolveShell(stream),
        ),
      );
      let output = '';
      channel.on('data', (data: Buffer) => (output += data.toString()));
      channel.write('echo sum-$((40+2)); stty size; echo $TERM\n');
      await waitForOutput(channel, () => output, /sum-42[\s\S]*30 100[\s\S]*xterm-256color/);
      channel.setWindow(40, 120, 0, 0);
      // The resize arrives asynchronously: ask until the shell sees it.
      const deadline = Date.now() + 20_000;
      while (!/40 120/.test(output) && Date.now() < deadline) {
        const from = output.length;
        channel.write('stty size\n');
        await waitForOutput(channel, () => output.slice(from), /\d+ \d+\r?\n[\s\S]*# $/);
      }
      expect(output).toMatch(/40 120/);
      channel.write('exit 0\n');
      await new Promise((resolveClose) => channel.on('close', resolveClose));
    } finally {
      client.end();
    }
  });

  it('refuses a stopped or deleted instance and ends its open sessions', async () => {
    const { id, ipv4 } = await createInstance('ssh-lifecycle');
    const client = await connect(ipv4, ROOT_PASS);
    const ended = new Promise<void>((resolveEnd) => client.on('close', () => resolveEnd()));
    expect((await api('POST', `/linode/instances/${id}/shutdown`)).status).toBe(200);
    await ended;
    await expect(connect(ipv4, ROOT_PASS)).rejects.toThrow(/authentication/i);

    expect((await api('POST', `/linode/instances/${id}/boot`)).status).toBe(200);
    const again = await connect(ipv4, ROOT_PASS);
    expect((await exec(again, 'echo back')).stdout).toBe('back\n');
    const closed = new Promise<void>((resolveEnd) => again.on('close', () => resolveEnd()));
    expect((await api('DELETE', `/linode/instances/${id}`)).status).toBe(200);
    await closed;
    // The deleted instance's address no longer answers at all.
    await expect(connect(ipv4, ROOT_PASS)).rejects.toThrow(/ECONNREFUSED|authentication/);
  });
});

// ---- rebuild, resize, backups (issue 15) ----
/** The host key the server at `host` shows (the handshake only; no login needed). */
function hostKeyOf(host: string): Promise<string> {
  return new Promise((resolveKey, rejectKey) => {
    const client = new Client();
    let shown = '';
    client
      .on('error', () => (shown ? resolveKey(shown) : rejectKey(new Error('no host key seen'))))
      .on('close', () => (shown ? resolveKey(shown) : rejectKey(new Error('no host key seen'))))
      .connect({
        host,
        port: sim.ssh!.port,
        username: 'root',
        password: 'not-the-password',
        readyTimeout: 20_000,
        hostVerifier: (key: Buffer) => {
          shown = key.toString('base64');
          return true;
        },
      });
  });
}

test('a rebuilt instance shows a new host key, takes the new password and keys, and drops the old ones', async () => {
  const { id, ipv4 } = await createInstance('rebuild-ssh');
  const before = await hostKeyOf(ipv4);
  const other = await createInstance('rebuild-ssh-other');
  // Every instance shows the simulator's key until rebuilt.
  expect(await hostKeyOf(other.ipv4)).toBe(before);
  const pair = utils.generateKeyPairSync('ed25519');
  const rebuilt = await api('POST', `/linode/instances/${id}/rebuild`, {
    image: 'linode/debian11',
    root_pass: 'Another-Horse-8',
    authorized_keys: [pair.public],
  });
  expect(rebuilt.status).toBe(200);
  const after = await hostKeyOf(ipv4);
  expect(after).not.toBe(before);
  expect(await hostKeyOf(ipv4)).toBe(after); // stable until the next rebuild
  expect(await hostKeyOf(other.ipv4)).toBe(before);
  (await connect(ipv4, '', pair.private)).end();
  (await connect(ipv4, 'Another-Horse-8')).end();
  await expect(connect(ipv4, ROOT_PASS)).rejects.toThrow(/authentication/i);
});
