import {
  cachedGoToolPath,
  ensureGoTool,
  findGoTool,
  type GoTool,
  GoToolUnavailableError,
} from '../go-tools/go-tool';

export { stratusCacheDir } from '../go-tools/go-tool';

/** The newest Temporal CLI tag that `go install` builds (DEVELOPERS.md). */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export const TEMPORAL_CLI: GoTool = {
  title: 'the Temporal CLI',
  folder: 'temporal-cli',
  binary: 'temporal',
  module: TEMPORAL_CLI_MODULE,
  version: TEMPORAL_CLI_VERSION,
  pathVariable: 'TEMPORAL_CLI_PATH',
  versionArgs: ['--version'],
  alternatives: 'set TEMPORAL_ADDRESS to a running server',
};

export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return cachedGoToolPath(TEMPORAL_CLI, env);
}

/** TEMPORAL_CLI_PATH, else the pinned build in the cache, else `temporal` on PATH; null when none. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  return findGoTool(TEMPORAL_CLI, env);
}

export class TemporalCliUnavailableError extends GoToolUnavailableError {
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
  return ensureGoTool(TEMPORAL_CLI, log, env, (message) => new TemporalCliUnavailableError(message));
}
