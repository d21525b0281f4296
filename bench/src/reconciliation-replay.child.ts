/**
 * One billing replay in its own process, so its peak RSS is its own (forked by reconciliation.bench.ts).
 * argv[2]: 'streams' (the reconciliation job: organization by organization from their own streams) or
 * 'in-memory' (the replay as it ran inside the POST before: the whole history through one BillingReplay).
 * BENCH_DATABASE_URL_CHILD: the bench database; BENCH_WINDOW: the window as JSON. Answers with process.send.
 */
import {
  addReconciliationSummaries,
  emptyReconciliationSummary,
  replayOrganizationBilling,
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
        // As runBillingReconciliation pages through the directory; lines kept only as a count here (the job
        // records them in progress events and lets them go).
        const directory = postgresBillingDirectory((text, values) => pool.query(text, values));
        let summary = emptyReconciliationSummary();
        let eventsRead = 0;
        let lines = 0;
        let after: string | null = null;
        for (;;) {
          const organizations = await directory.organizationsAfter(after, 100);
          for (const organizationId of organizations) {
            const report = await replayOrganizationBilling(
              store,
              { ...window, organizationId },
              { servers: await directory.serversOf(organizationId) },
            );
            eventsRead += report.eventsRead;
            lines += report.lines.length;
            summary = addReconciliationSummaries(summary, report.summary);
          }
          if (organizations.length < 100) break;
          after = organizations[organizations.length - 1];
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
