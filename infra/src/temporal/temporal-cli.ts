import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The newest Temporal CLI tag that `go install` builds (DEVELOPERS.md). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

/** Cache outside the repository: $STRATUS_CACHE_DIR, else $XDG_CACHE_HOME/stratus, else ~/.cache/stratus. */
export function stratusCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STRATUS_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stratus');
}

export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stratusCacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** TEMPORAL_CLI_PATH, else the pinned build in the cache, else `temporal` on PATH; null when none. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) return existsSync(env.TEMPORAL_CLI_PATH) ? env.TEMPORAL_CLI_PATH : null;
  const cached = cachedTemporalCliPath(env);
  if (existsSync(cached)) return cached;
  return onPath('temporal', env);
}

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

/**
 * Finds the CLI or builds the pinned version from its Go module into the cache (nothing is downloaded
 * as a binary). Without a Go toolchain, says exactly what to install.
 */
export function ensureTemporalCli(
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = findTemporalCli(env);
  if (found) return found;
  const go = onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    throw new TemporalCliUnavailableError(
      `No Temporal CLI found and no Go toolchain to build it. Install Go (https://go.dev/dl, or your distribution's ` +
        `golang package), or install the Temporal CLI and set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to a running server.`,
    );
  }
  const target = cachedTemporalCliPath(env);
  mkdirSync(join(target, '..'), { recursive: true });
  log(
    `building the Temporal CLI ${TEMPORAL_CLI_VERSION} from its Go module (first run only, several minutes)…`,
  );
  const result = spawnSync(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    env: { ...env, GOBIN: join(target, '..') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(target)) {
    throw new TemporalCliUnavailableError(
      `go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (exit ${result.status})`,
    );
  }
  log(`Temporal CLI installed: ${execFileSync(target, ['--version']).toString().trim()}`);
  return target;
}
