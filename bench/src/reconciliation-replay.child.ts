/**
 * One billing replay in its own process, so its peak RSS is its own (forked by reconciliation.bench.ts).
 * argv[2]: 'streams' (the reconciliation job: organization by organization from their own streams) or
 * 'in-memory' (the replay as it ran inside the POST before: the whole history through one BillingReplay).
 * BENCH_DATABASE_URL_CHILD: the bench database; BENCH_WINDOW: the window as JSON. Answers with process.send.
 */
import {
  addReconciliationSummaries,
  emptyReconciliationSummary,
  replayOrganizations,
  type ReconciliationSummary,
} from '@stratus/domain';
import {
  postgresReplayCut,
  replayBilling,
} from '@stratus/api/dist/modules/admin-billing/shared/billing-replay';
import { PostgresEventStore } from '@stratus/eventstore';
import { postgresBillingDirectory } from '@stratus/projections';
import { Pool } from 'pg';
import { timeIt, withPeakMemory } from './harness';

export interface ChildReplayResult {
  ms: number;
  peakRssMb: number;
  peakHeapMb: number;
  eventsRead: number;
  lines: number;
  summary: ReconciliationSummary;
}

async function main() {
  const mode = process.argv[2];
  const pool = new Pool({ connectionString: process.env.BENCH_DATABASE_URL_CHILD, max: 2 });
  const store = new PostgresEventStore({ pool, ownsPool: false });
  const window = JSON.parse(process.env.BENCH_WINDOW ?? '{}') as {
    from: string;
    to: string;
    periodSeconds: number;
  };
  try {
    const measured = await withPeakMemory(() =>
      timeIt(async () => {
        if (mode === 'in-memory') {
          const report = await replayBilling(
            store,
            { ...window, organizationId: null },
            { pageSize: 1000, cut: postgresReplayCut((sql) => pool.query(sql)) },
          );
          return { eventsRead: report.eventsRead, lines: report.lines.length, summary: report.summary };
        }
        // As runBillingReconciliation (and billing:replay) go through the directory; lines kept only as a count
        // here (the job records them in progress events and lets them go).
        const directory = postgresBillingDirectory((text, values) => pool.query(text, values));
        let summary = emptyReconciliationSummary();
        let eventsRead = 0;
        let lines = 0;
        for await (const { report } of replayOrganizations(store, directory, {
          ...window,
          organizationId: null,
        })) {
          eventsRead += report.eventsRead;
          lines += report.lines.length;
          summary = addReconciliationSummaries(summary, report.summary);
        }
        return { eventsRead, lines, summary };
      }),
    );
    const result: ChildReplayResult = {
      ms: measured.result.ms,
      peakRssMb: measured.peakRssMb,
      peakHeapMb: measured.peakHeapMb,
      ...measured.result.result,
    };
    process.send!(result);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
