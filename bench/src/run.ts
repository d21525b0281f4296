/**
 * `npm run bench [-- suite ...]`: every figure beside a baseline measured in the same run, as a ratio.
 * Sizes can be lowered for a quick look: BENCH_EVENTS (default 1,000,000), BENCH_WALLET_EVENTS (100,000).
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { auditBench } from './audit.bench';
import { eventStoreBench } from './eventstore.bench';
import { Figure, printTable, writeResults } from './harness';
import { projectionRebuildBench } from './projection-rebuild.bench';
import { reconciliationBench } from './reconciliation.bench';
import { paymentsBench } from './payments.bench';
import { periodChargeBench } from './period-charge.bench';
import { walletDecisionBench } from './wallet-decision.bench';
import { temporalBench } from './provisioning.bench';
import { transferBench } from './transfer.bench';
import { operationsBench } from './operations.bench';

const root = resolve(__dirname, '..', '..');
const intEnv = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a positive integer`);
  return Number(raw);
};

const suites: Record<string, () => Promise<Figure[]>> = {
  eventstore: () => eventStoreBench({ events: intEnv('BENCH_EVENTS', 1_000_000) }),
  'projection-rebuild': () =>
    projectionRebuildBench({
      events: intEnv('BENCH_PROJECTION_EVENTS', 200_000),
      batchSize: intEnv('PROJECTION_BATCH_SIZE', 500),
    }),
  'wallet-decision': () =>
    walletDecisionBench({
      priorEvents: intEnv('BENCH_WALLET_EVENTS', 100_000),
      samples: intEnv('BENCH_SAMPLES', 200),
    }),
  'period-charge': () =>
    periodChargeBench({
      priorEvents: intEnv('BENCH_VPS_EVENTS', 10_000),
      samples: intEnv('BENCH_SAMPLES', 200),
    }),
  temporal: () =>
    temporalBench({
      provisionings: intEnv('BENCH_PROVISIONINGS', 200),
      billedServers: intEnv('BENCH_BILLED_SERVERS', 1000),
      organizations: intEnv('BENCH_ORGANIZATIONS', 10),
    }),
  audit: () =>
    auditBench({
      events: intEnv('BENCH_AUDIT_EVENTS', 1_000_000),
      samples: intEnv('BENCH_SAMPLES', 200),
    }),
  reconciliation: () => reconciliationBench({ charges: intEnv('BENCH_RECONCILIATION_EVENTS', 1_000_000) }),
  payments: () =>
    paymentsBench({ webhooks: intEnv('BENCH_WEBHOOKS', 1000), samples: intEnv('BENCH_SAMPLES', 200) }),
  transfer: () =>
    transferBench({
      servers: intEnv('BENCH_TRANSFER_SERVERS', 1000),
      organizations: intEnv('BENCH_ORGANIZATIONS', 10),
      hours: intEnv('BENCH_TRANSFER_HOURS', 720),
    }),
  // ---- rebuild, resize (issue 15) ----
  operations: () =>
    operationsBench({
      operations: intEnv('BENCH_OPERATIONS', 50),
      concurrency: intEnv('BENCH_OPERATIONS_CONCURRENCY', 10),
    }),
};

async function main() {
  const selected = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = selected.filter((s) => !(s in suites));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  const environment = {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
  };
  const all: Figure[] = [];
  for (const name of selected.length ? selected : Object.keys(suites)) {
    console.log(`\n== ${name}`);
    const figures = await suites[name]();
    printTable(figures);
    console.log(`results: ${writeResults(root, name, figures, environment)}`);
    all.push(...figures);
  }
  console.log('\n== summary');
  printTable(all);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
