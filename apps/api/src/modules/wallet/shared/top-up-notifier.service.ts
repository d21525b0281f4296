import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { VpsServerEntity, type ProjectionsOrm } from '@stratus/projections';
import { billingWorkflowId, walletToppedUpSignal } from '@stratus/workflows';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { TEMPORAL_CLIENT } from '../../../shared/temporal/temporal.tokens';

/** The whole notification (every server of the organization) gives up after this long; the credit is kept. */
export const TOP_UP_SIGNAL_DEADLINE_MS = 5000;
/** Signals in flight at once for one organization. */
const SIGNAL_CONCURRENCY = 8;

/** Servers whose billing workflow is running: suspended ones wait for money; signalling an active one is harmless. */
const BILLED_STATUSES = ['active', 'suspended'] as const;

export interface TopUpNotification {
  /** Billing workflows that received walletToppedUpSignal. */
  signalled: string[];
  /** Billing workflows Temporal does not know (or that already ended). */
  notFound: string[];
  /** Billing workflows that could not be signalled (Temporal down, deadline passed, not configured). */
  failed: string[];
}

/**
 * After money enters a wallet (a staff credit, later a payment), tells the billing workflow of every server
 * of the organization that is billed, so unpaid periods are retried now and a suspended server whose debt is
 * covered resumes without waiting for the next period boundary. Best effort by design: the money is already
 * recorded, and each billing workflow re-checks its unpaid periods at every boundary anyway, so this never
 * throws; what it could not deliver is logged.
 *
 * The servers come from the vps_servers read model: one that became active a moment ago may be missed
 * (its workflow re-checks at the next boundary); one suspended a moment ago still reads as active (included).
 */
@Injectable()
export class WalletTopUpNotifier {
  private readonly logger = new Logger('WalletTopUpNotifier');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client | null,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
  ) {}

  async walletToppedUp(organizationId: string): Promise<TopUpNotification> {
    const result: TopUpNotification = { signalled: [], notFound: [], failed: [] };
    let workflowIds: string[];
    try {
      workflowIds = await this.billingWorkflowsOf(organizationId);
    } catch (error) {
      this.logger.warn(`top-up of ${organizationId}: reading its servers failed: ${describe(error)}`);
      return result;
    }
    if (workflowIds.length === 0) return result;
    const client = this.client;
    if (!client) {
      this.logger.warn(
        `top-up of ${organizationId}: Temporal is not configured; ${workflowIds.length} billing workflow(s) ` +
          'will see the money at their next period boundary',
      );
      return { ...result, failed: workflowIds };
    }

    const deadline = Date.now() + TOP_UP_SIGNAL_DEADLINE_MS;
    const signalOne = async (workflowId: string) => {
      try {
        await client.withDeadline(deadline, () =>
          client.workflow.getHandle(workflowId).signal(walletToppedUpSignal),
        );
        result.signalled.push(workflowId);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          result.notFound.push(workflowId);
          return;
        }
        result.failed.push(workflowId);
        this.logger.warn(`top-up of ${organizationId}: signalling ${workflowId} failed: ${describe(error)}`);
      }
    };
    for (let i = 0; i < workflowIds.length; i += SIGNAL_CONCURRENCY) {
      await Promise.all(workflowIds.slice(i, i + SIGNAL_CONCURRENCY).map(signalOne));
    }
    if (result.failed.length > 0) {
      this.logger.warn(
        `top-up of ${organizationId}: ${result.failed.length} billing workflow(s) not signalled; ` +
          'they retry their unpaid periods at their next period boundary',
      );
    }
    return result;
  }

  private async billingWorkflowsOf(organizationId: string): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        VpsServerEntity,
        { organizationId, status: { $in: [...BILLED_STATUSES] } },
        { fields: ['id', 'billingWorkflowId'], orderBy: { id: 'asc' } },
      );
    return rows.map((row) => row.billingWorkflowId ?? billingWorkflowId(row.id));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
