import { createHash } from 'node:crypto';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { CONSOLE_SSH_READY_TIMEOUT_MS } from '../shared/console-settings';

export interface HostKey {
  /** Key type from the key blob, e.g. "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
  algorithm: string;
  /** OpenSSH's form, as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64. */
  fingerprint: string;
}

/** The key type and SHA-256 fingerprint of an SSH public key blob (RFC 4253 §6.6). */
export function describeHostKey(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (length < 1 || length > 64 || blob.length < 4 + length) throw new Error('malformed SSH host key blob');
  return {
    algorithm: blob.subarray(4, 4 + length).toString('latin1'),
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}

/** Host key algorithms to offer when `algorithm` is pinned, so the server shows that key again. */
export function hostKeyAlgorithmsFor(algorithm: string): string[] {
  return algorithm === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [algorithm];
}

export class HostKeyRejectedError extends Error {
  override readonly name = 'HostKeyRejectedError';
}

export interface SshShellOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Host key algorithm pinned earlier (offered alone), or null on first use. */
  pinnedAlgorithm: string | null;
  /** Decides on the presented host key; a string is the refusal (no login is attempted then). */
  verifyHostKey: (key: HostKey) => Promise<true | string>;
  cols: number;
  rows: number;
}

export interface SshShell {
  client: Client;
  stream: ClientChannel;
}

/**
 * Connects, verifies the host key before authenticating, logs in with the password and opens an
 * interactive shell on a pty. Rejects with HostKeyRejectedError when the key was refused.
 */
export function openSshShell(options: SshShellOptions): Promise<SshShell> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyRefusal: string | null = null;
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      client.end();
      if (hostKeyRefusal !== null) return reject(new HostKeyRejectedError(hostKeyRefusal));
      // Only the pinned key type was offered: a server without it has replaced its host keys.
      const level = (error as Error & { level?: string }).level;
      if (options.pinnedAlgorithm && level === 'handshake' && /host key/i.test(error.message)) {
        return reject(
          new HostKeyRejectedError(
            `the server no longer offers its pinned ${options.pinnedAlgorithm} host key`,
          ),
        );
      }
      reject(error);
    };
    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.username,
      password: options.password,
      readyTimeout: CONSOLE_SSH_READY_TIMEOUT_MS,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      // Only the password: no agent, no keyboard-interactive prompts nobody could answer.
      tryKeyboard: false,
      ...(options.pinnedAlgorithm
        ? { algorithms: { serverHostKey: hostKeyAlgorithmsFor(options.pinnedAlgorithm) as never } }
        : {}),
      hostVerifier: (blob: Buffer, verify: (valid: boolean) => void) => {
        let key: HostKey;
        try {
          key = describeHostKey(blob);
        } catch (error) {
          hostKeyRefusal = (error as Error).message;
          verify(false);
          return;
        }
        options.verifyHostKey(key).then(
          (verdict) => {
            if (verdict !== true) hostKeyRefusal = verdict;
            verify(verdict === true);
          },
          (error: unknown) => {
            fail(error instanceof Error ? error : new Error(String(error)));
            verify(false);
          },
        );
      },
    };
    client.on('error', (error) => fail(error));
    client.on('close', () => fail(new Error('SSH connection closed before the shell opened')));
    client.on('ready', () => {
      client.shell({ term: 'xterm-256color', cols: options.cols, rows: options.rows }, (error, stream) => {
        if (error) return fail(error);
        if (settled) {
          stream.close();
          return;
        }
        settled = true;
        resolve({ client, stream });
      });
    });
    client.connect(config);
  });
}
