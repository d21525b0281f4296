/**
 * Development tools written in Go (the Temporal CLI, stripe-mock, Mailpit) built from their Go modules into a cache
 * outside the repository (`go install <module>@<version>` with GOBIN=<cache>/<name>/<version>); nothing is
 * downloaded as a binary. .ci/run's ensure_go_tool builds the same ones into the same places.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface GoTool {
  /** What people call it, e.g. "the Temporal CLI". */
  title: string;
  /** The cache folder, e.g. temporal-cli (<cache>/<folder>/<version>/<binary>). */
  folder: string;
  /** The executable `go install` writes, e.g. temporal. */
  binary: string;
  /** The Go module (package path) to install, e.g. github.com/temporalio/cli/cmd/temporal. */
  module: string;
  /** The pinned tag. */
  version: string;
  /** An environment variable naming a binary to use instead (e.g. TEMPORAL_CLI_PATH). */
  pathVariable: string;
  /** Arguments that print its version, for the log line after a build. */
  versionArgs: readonly string[];
  /** What else the user can do when there is no Go toolchain. */
  alternatives: string;
}

/** Cache outside the repository: $STRATUS_CACHE_DIR, else $XDG_CACHE_HOME/stratus, else ~/.cache/stratus. */
export function stratusCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STRATUS_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'stratus');
}

export function cachedGoToolPath(tool: GoTool, env: NodeJS.ProcessEnv = process.env): string {
  return join(stratusCacheDir(env), tool.folder, tool.version, tool.binary);
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The tool's path variable, else the pinned build in the cache, else the binary on PATH; null when none. */
export function findGoTool(tool: GoTool, env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env[tool.pathVariable];
  if (explicit) return existsSync(explicit) ? explicit : null;
  const cached = cachedGoToolPath(tool, env);
  if (existsSync(cached)) return cached;
  return onPath(tool.binary, env);
}

export class GoToolUnavailableError extends Error {
  override readonly name: string = 'GoToolUnavailableError';
}

/**
 * Finds the tool or builds the pinned version from its Go module into the cache. Without a Go toolchain, says
 * exactly what to install. `unavailable` makes the error a caller's own type.
 */
export function ensureGoTool(
  tool: GoTool,
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
  unavailable: (message: string) => Error = (message) => new GoToolUnavailableError(message),
): string {
  const found = findGoTool(tool, env);
  if (found) return found;
  const go = onPath('go', env) ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    const title = tool.title[0].toUpperCase() + tool.title.slice(1);
    throw unavailable(
      `${title} was not found and there is no Go toolchain to build it. Install Go (https://go.dev/dl, or your distribution's ` +
        `golang package), or install ${tool.title} and set ${tool.pathVariable}${tool.alternatives ? `, or ${tool.alternatives}` : ''}.`,
    );
  }
  const target = cachedGoToolPath(tool, env);
  mkdirSync(dirname(target), { recursive: true });
  log(`building ${tool.title} ${tool.version} from its Go module (first run only, can take minutes)…`);
  const result = spawnSync(go, ['install', `${tool.module}@${tool.version}`], {
    env: { ...env, GOBIN: dirname(target) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(target)) {
    throw unavailable(`go install ${tool.module}@${tool.version} failed (exit ${result.status})`);
  }
  log(
    `${tool.title} installed: ${execFileSync(target, [...tool.versionArgs])
      .toString()
      .trim()}`,
  );
  return target;
}

/** stripe-mock: Stripe's own API mock, which validates every request against Stripe's OpenAPI specification. */
export const STRIPE_MOCK: GoTool = {
  title: 'stripe-mock',
  folder: 'stripe-mock',
  binary: 'stripe-mock',
  module: 'github.com/stripe/stripe-mock',
  version: 'v0.203.0',
  pathVariable: 'STRIPE_MOCK_PATH',
  versionArgs: ['-version'],
  alternatives: 'set STRIPE_API_URL to a running stripe-mock',
};

/** Mailpit: an SMTP server with a web UI and API that keeps every message, for mail in development and tests. */
export const MAILPIT: GoTool = {
  title: 'Mailpit',
  folder: 'mailpit',
  binary: 'mailpit',
  module: 'github.com/axllent/mailpit',
  version: 'v1.33.1',
  pathVariable: 'MAILPIT_PATH',
  versionArgs: ['version', '--no-release-check'],
  alternatives: '',
};
