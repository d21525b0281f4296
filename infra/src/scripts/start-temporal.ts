/**
 * `npm run start:temporal`: the Temporal dev server alone, as `npm start` runs it (state in
 * <data>/temporal.sqlite, frontend 127.0.0.1:7233, Web UI :8233, Stratus search attributes). Ctrl-C stops it.
 * TEMPORAL_DEV_PORT / TEMPORAL_UI_PORT move it.
 */
import { isAbsolute, resolve } from 'node:path';
import { LAUNCHER_VARIABLES } from '../config/launcher.schema';
import { startTemporalDevServer, TEMPORAL_DEV_DEFAULTS } from '../temporal/temporal-dev-server';
import { prefixedLog, runScript, stopOnSignal } from './run-until-signal';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`stratus temporal: ${name} must be a port number (got ${JSON.stringify(raw)})\n`);
    process.exit(78);
  }
  return port;
}

async function main(): Promise<void> {
  const configured = process.env.STRATUS_DATA_DIR || LAUNCHER_VARIABLES.STRATUS_DATA_DIR.default;
  const dataDir = isAbsolute(configured) ? configured : resolve(REPO_ROOT, configured);
  const log = prefixedLog('temporal');
  const server = await startTemporalDevServer({
    dataDir,
    port: portFrom('TEMPORAL_DEV_PORT', TEMPORAL_DEV_DEFAULTS.port),
    uiPort: portFrom('TEMPORAL_UI_PORT', TEMPORAL_DEV_DEFAULTS.uiPort),
    log,
    onUnexpectedExit: (code, signal) => {
      log(`the server exited (${signal ? `signal ${signal}` : `code ${code}`})`);
      process.exit(1);
    },
  });
  if (server.reused) {
    log(`already running at ${server.address}; nothing to start`);
    return;
  }
  log(`ready: TEMPORAL_ADDRESS=${server.address} namespace ${server.namespace}; Web UI ${server.uiUrl}`);
  log('Ctrl-C stops it');
  stopOnSignal(() => server.stop(), log);
}

runScript('temporal', main);
