/**
 * The "server" behind the simulator's SSH: a shell in a bubblewrap sandbox that sees only read-only system
 * directories, a minimal /etc, a tmpfs home, its own /proc and /dev, and no network (--unshare-all). Interactive
 * sessions get a pseudo-terminal from a small Python helper run inside the sandbox (no native npm package needed);
 * it reads window sizes from fd 3 so resizes reach the shell as SIGWINCH. Without bwrap nothing runs: a simulated
 * server must never become a real shell on the host.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

export const BWRAP_PATH = '/usr/bin/bwrap';
const TMPFS_BYTES = 64 * 1024 * 1024;
const PYTHON_CANDIDATES = ['/usr/bin/python3', '/usr/local/bin/python3'];

/** Why the sandbox cannot run on this machine, or null when it can. */
export function sandboxUnavailableReason(): string | null {
  if (!existsSync(BWRAP_PATH))
    return `the simulator's shell needs bubblewrap (${BWRAP_PATH}; apt-get install bubblewrap); refusing to run a shell unsandboxed`;
  return null;
}

function pythonPath(): string | null {
  return PYTHON_CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * pty helper: forks the command on a new pseudo-terminal (size set before exec), copies stdin → pty → stdout,
 * applies "rows cols\n" lines from fd 3 with TIOCSWINSZ (the kernel signals the shell), and exits with the
 * command's status. EOF on stdin is passed on as ^D.
 */
const PTY_HELPER = String.raw`
import os, pty, sys, select, struct, fcntl, termios
rows, cols = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execv(sys.argv[3], sys.argv[3:])
inputs = [0, 3, fd]
pending = b''
while True:
    try:
        ready, _, _ = select.select(inputs, [], [])
    except InterruptedError:
        continue
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)
            os.write(fd, b'\x04')
    if 3 in ready:
        data = os.read(3, 4096)
        if not data:
            inputs.remove(3)
            continue
        pending += data
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            try:
                r, c = (int(x) for x in line.split())
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', r, c, 0, 0))
            except (ValueError, OSError):
                pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;

export interface SandboxOptions {
  /** The sandbox's hostname (the instance label). */
  hostname: string;
  /** Present for interactive sessions: a pseudo-terminal of this size and $TERM. */
  pty?: { cols: number; rows: number; term: string };
  /** A command for `exec` sessions (run by /bin/sh -c); an interactive bash when absent. */
  command?: string;
}

export interface SandboxProcess {
  child: ChildProcess;
  /** Resizes the pseudo-terminal (no-op without one). */
  resize(cols: number, rows: number): void;
  /** Ends the sandbox and everything in it. */
  kill(): void;
}

const clampSize = (value: number, fallback: number) =>
  Number.isInteger(value) && value > 0 && value <= 1000 ? value : fallback;

/**
 * One directory per simulator holding the sandbox's /etc (passwd, group, hosts, …); removed by `dispose()`.
 */
export class SandboxShell {
  private readonly etcDir: string;

  constructor() {
    this.etcDir = mkdtempSync(join(tmpdir(), 'stratus-sim-etc-'));
    const files: Record<string, string> = {
      passwd: 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
      group: 'root:x:0:\nnogroup:x:65534:\n',
      hosts: '127.0.0.1 localhost\n',
      'nsswitch.conf': 'passwd: files\ngroup: files\nhosts: files\n',
      shells: '/bin/sh\n/bin/bash\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.etcDir, name), text);
    // Mount point for the host's /etc/alternatives (Debian's tool symlinks point there).
    mkdirSync(join(this.etcDir, 'alternatives'));
  }

  dispose(): void {
    rmSync(this.etcDir, { recursive: true, force: true });
  }

  /** Throws (with the reason) when the sandbox cannot run here. */
  spawn(options: SandboxOptions): SandboxProcess {
    const unavailable = sandboxUnavailableReason();
    if (unavailable) throw new Error(unavailable);
    const python = options.pty ? pythonPath() : null;
    if (options.pty && !python) throw new Error('the simulator needs python3 for interactive sessions');

    const args: string[] = ['--ro-bind', '/usr', '/usr'];
    // Merged-/usr systems have /bin → usr/bin symlinks; others have real directories.
    for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
      let stat;
      try {
        stat = lstatSync(dir);
      } catch {
        continue;
      }
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
      else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
    }
    args.push('--ro-bind', this.etcDir, '/etc');
    if (existsSync('/etc/alternatives')) args.push('--ro-bind', '/etc/alternatives', '/etc/alternatives');
    args.push(
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      // Writable scratch space, bounded (bubblewrap >= 0.5): a runaway `yes > file` fills 64 MiB, not the host's RAM.
      '--size',
      String(TMPFS_BYTES),
      '--tmpfs',
      '/root',
      '--size',
      String(TMPFS_BYTES),
      '--tmpfs',
      '/tmp',
      '--unshare-all',
      // Started by root, the sandbox would keep root's capabilities (namespaced, but still more than a shell needs).
      '--cap-drop',
      'ALL',
      '--hostname',
      options.hostname,
      '--die-with-parent',
      '--new-session',
      '--clearenv',
      '--setenv',
      'HOME',
      '/root',
      '--setenv',
      'USER',
      'root',
      '--setenv',
      'PATH',
      '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--setenv',
      'LANG',
      'C.UTF-8',
      '--setenv',
      'PS1',
      `root@${options.hostname}:\\w# `,
      '--chdir',
      '/root',
    );
    if (options.pty) {
      const cols = clampSize(options.pty.cols, 80);
      const rows = clampSize(options.pty.rows, 24);
      args.push(
        '--setenv',
        'TERM',
        /^[A-Za-z0-9._+-]{1,64}$/.test(options.pty.term) ? options.pty.term : 'xterm',
      );
      args.push(python!, '-c', PTY_HELPER, String(rows), String(cols));
      if (options.command !== undefined) args.push('/bin/sh', '-c', options.command);
      else args.push('/bin/bash', '--noprofile', '--norc', '-i');
    } else if (options.command !== undefined) {
      args.push('/bin/sh', '-c', options.command);
    } else {
      args.push('/bin/bash', '--noprofile', '--norc');
    }

    const child = spawn(BWRAP_PATH, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const control = child.stdio[3] as Writable | null;
    control?.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    return {
      child,
      resize(cols: number, rows: number) {
        if (!options.pty || !control || control.destroyed) return;
        control.write(`${clampSize(rows, 24)} ${clampSize(cols, 80)}\n`);
      },
      kill() {
        // bwrap's sandboxed pid 1 dies with it (--die-with-parent), and the pid namespace with that.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  }
}
