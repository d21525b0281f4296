/**
 * Test support for the portal's browser journeys: `npm test` builds the backend only, so a journey builds the portal
 * when its build is missing or older than its sources. Journeys run in parallel jest workers and all build into the
 * same directory, so the build is serialised by a lock directory (atomic mkdir) and retried when another build,
 * started outside the lock, clobbered it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Newest modification time under a directory (tests excluded: they are not part of the build). */
export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(webRoot: string): boolean {
  const entry = join(webRoot, 'build', 'index.js');
  return existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(webRoot, 'src'));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds apps/web unless its build is fresh; one build at a time across processes. */
export function ensureWebBuild(repoRoot: string, webRoot: string, timeoutMs = 600_000): void {
  if (fresh(webRoot)) return;
  const lock = join(
    tmpdir(),
    `stratus-web-build-${createHash('sha1').update(webRoot).digest('hex').slice(0, 12)}.lock`,
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Held: by a live build, wait; by a process that died, take it over.
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // being created
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another web build held ${lock} for ${timeoutMs} ms`);
      sleep(500);
    }
  }
  try {
    for (let attempt = 1; !fresh(webRoot); attempt++) {
      try {
        execFileSync('npm', ['run', 'build', '-w', '@stratus/web'], { cwd: repoRoot, stdio: 'pipe' });
      } catch (error) {
        if (attempt >= 3) throw error;
        sleep(5_000); // a build outside the lock shared the output directory; try again once it is done
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
