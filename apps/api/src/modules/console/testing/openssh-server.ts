import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

export interface OpenSshServer {
  port: number;
  /** A throwaway system user whose password is the one given. */
  username: string;
  /** `ssh-keygen -lf` of the host key: "SHA256:…". */
  hostKeyFingerprint: string;
  /** TCP connections sshd accepted so far (its VERBOSE log). */
  connections(): number;
  /** Successful password logins so far. */
  logins(): number;
  log(): string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real OpenSSH daemon on a free loopback port: temporary host key and config (password logins only,
 * no PAM), and a temporary user (useradd + chpasswd). Needs root, as CI has.
 */
export async function startOpenSshServer(password: string): Promise<OpenSshServer> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      'The console tests run a real sshd and create a system user: run them as root (CI does), e.g. sudo npx jest …',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'stratus-sshd-'));
  // The test user's home is inside: let it in.
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  const hostKey = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stratus-test', '-f', hostKey]);
  const hostKeyFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`])
    .toString()
    .split(' ')[1];
  const username = `stc${randomBytes(4).toString('hex')}`;
  execFileSync('useradd', ['-M', '-d', home, '-s', '/bin/bash', username]);
  mkdirSync(home);
  execFileSync('chown', [`${username}:`, home]);
  execFileSync('chpasswd', { input: `${username}:${password}\n` });
  // Debian's sshd wants its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication no',
      'AuthorizedKeysFile none',
      'PermitRootLogin no',
      `AllowUsers ${username}`,
      'StrictModes no',
      'UseDNS no',
      'LogLevel VERBOSE',
      'MaxStartups 100',
      '',
    ].join('\n'),
  );
  let log = '';
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start:\n${log}`)), 10_000);
    const onData = () => {
      if (log.includes('Server listening on')) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited (${code}):\n${log}`));
    });
  });
  const count = (pattern: RegExp) => (log.match(pattern) ?? []).length;
  return {
    port,
    username,
    hostKeyFingerprint,
    connections: () => count(/Connection from 127\.0\.0\.1 port \d+ on /g),
    logins: () => count(new RegExp(`Accepted password for ${username} `, 'g')),
    log: () => log,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      // -f: a session process still ending must not keep the throwaway user alive.
      execFileSync('userdel', ['-f', username]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
