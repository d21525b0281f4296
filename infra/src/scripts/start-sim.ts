/**
 * `npm run start:sim`: the Linode API v4 simulator alone, as `npm start` runs it. SIM_PORT (default 4010) and
 * SIM_HOST (default 127.0.0.1) move it; SIM_TOKEN sets the bearer token (default 'simulator-token');
 * SIM_PROVISIONING_MS / SIM_BOOTING_MS set the status delays (default 1500 ms each). SIM_SSH_PORT (default 2222,
 * 0 = a free one) is the port of the simulated servers' SSH (root@<the instance's 127.77.x.y ipv4> with its
 * root_pass); when it is taken the simulator runs without SSH and says so. Ctrl-C stops it.
 */
import { prefixedLog, runScript, stopOnSignal } from './run-until-signal';
import { SIMULATOR_DEFAULTS, startLinodeSimulator } from '../linode-simulator/linode-simulator';

const log = prefixedLog('sim');

function integerFrom(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
    process.stderr.write(`sim │ ${name} must be an integer in ${min}..${max} (got ${JSON.stringify(raw)})\n`);
    process.exit(78);
  }
  return value;
}

const SSH_DEFAULT_PORT = 2222;

async function main(): Promise<void> {
  const options = {
    port: integerFrom('SIM_PORT', SIMULATOR_DEFAULTS.port, 0, 65535),
    host: process.env.SIM_HOST || SIMULATOR_DEFAULTS.host,
    token: process.env.SIM_TOKEN || SIMULATOR_DEFAULTS.token,
    delays: {
      provisioningMs: integerFrom(
        'SIM_PROVISIONING_MS',
        SIMULATOR_DEFAULTS.delays.provisioningMs,
        0,
        3_600_000,
      ),
      bootingMs: integerFrom('SIM_BOOTING_MS', SIMULATOR_DEFAULTS.delays.bootingMs, 0, 3_600_000),
    },
  };
  const sshPort = integerFrom('SIM_SSH_PORT', SSH_DEFAULT_PORT, 0, 65535);
  let simulator;
  try {
    simulator = await startLinodeSimulator({ ...options, sshPort });
  } catch (error) {
    // The HTTP API matters more than the console: run without SSH rather than not at all.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' || !(error as Error).message.endsWith(`:${sshPort}`)) throw error;
    process.stderr.write(
      `sim │ SSH: ${(error as Error).message}; running without SSH (set SIM_SSH_PORT to a free port for the console)\n`,
    );
    simulator = await startLinodeSimulator(options);
  }
  log(
    `ready: LINODE_API_URL=${simulator.url} (bearer token required); faults at ${simulator.url.replace(/\/v4$/, '')}/__sim/faults`,
  );
  if (simulator.ssh)
    log(
      `ssh: port ${simulator.ssh.port} on each instance's ipv4 (127.77.x.y), root with the instance's root_pass`,
    );
  stopOnSignal(() => simulator.close(), log);
}

runScript('sim', main);
