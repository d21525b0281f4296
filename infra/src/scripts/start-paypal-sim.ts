/**
 * `npm run start:paypal-sim`: the PayPal REST API simulator alone, as `npm start` runs it. PAYPAL_SIM_PORT (default
 * 4020) and PAYPAL_SIM_HOST (default 127.0.0.1) move it; PAYPAL_SIM_CLIENT_ID / PAYPAL_SIM_CLIENT_SECRET set the
 * REST app's credentials (default sim-client-id / sim-client-secret); PAYPAL_SIM_WEBHOOK_URL is where webhook events
 * go (default: nowhere, recorded only) and PAYPAL_SIM_WEBHOOK_ID the webhook id they are signed for (default
 * SIMWEBHOOK0001). Ctrl-C stops it.
 */
import { prefixedLog, runScript, stopOnSignal } from './run-until-signal';
import { PAYPAL_SIMULATOR_DEFAULTS, startPayPalSimulator } from '../paypal-simulator/paypal-simulator';

const log = prefixedLog('paypal');

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value > 65535) {
    process.stderr.write(`paypal │ ${name} must be a port number (got ${JSON.stringify(raw)})\n`);
    process.exit(78);
  }
  return value;
}

async function main(): Promise<void> {
  const webhookUrl = process.env.PAYPAL_SIM_WEBHOOK_URL || undefined;
  const simulator = await startPayPalSimulator({
    port: portFrom('PAYPAL_SIM_PORT', PAYPAL_SIMULATOR_DEFAULTS.port),
    host: process.env.PAYPAL_SIM_HOST || PAYPAL_SIMULATOR_DEFAULTS.host,
    clientId: process.env.PAYPAL_SIM_CLIENT_ID || undefined,
    clientSecret: process.env.PAYPAL_SIM_CLIENT_SECRET || undefined,
    webhookId: process.env.PAYPAL_SIM_WEBHOOK_ID || undefined,
    webhookUrl,
  });
  log(
    `ready: PAYPAL_API_URL=${simulator.url} (client ${simulator.clientId} / ${simulator.clientSecret}); ` +
      `faults at ${simulator.url}/__sim/faults`,
  );
  log(
    webhookUrl
      ? `webhooks: ${webhookUrl} (webhook id ${simulator.webhookId}, certificate ${simulator.certUrl})`
      : `webhooks: recorded only (set PAYPAL_SIM_WEBHOOK_URL, or PUT ${simulator.url}/__sim/webhooks {"url": …})`,
  );
  stopOnSignal(() => simulator.close(), log);
}

runScript('paypal', main);
