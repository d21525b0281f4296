import { proxyActivities } from '@temporalio/workflow';

/** Baseline for the provisioning benchmark: one no-op activity on the same server. */
const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function noopWorkflow(): Promise<void> {
  await noop();
}
