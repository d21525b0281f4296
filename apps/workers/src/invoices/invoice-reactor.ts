import type { Knex } from '@mikro-orm/postgresql';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@stratus/eventstore';
import {
  advanceCheckpoint,
  lockCheckpoint,
  readCheckpoint,
  recordStatus,
  type ProjectionLogger,
  type ProjectionsOrm,
} from '@stratus/projections';
import { INVOICE_SOURCE_EVENT_TYPES, type InvoiceIssuer } from '@stratus/infra';

/** Its checkpoint row (in projection_checkpoints, beside the projections'). */
export const INVOICE_REACTOR_CHECKPOINT = 'reactor:invoices';

/**
 * Reads the payment events after its checkpoint and issues their documents (InvoiceIssuer), then advances the
 * checkpoint in a transaction holding the checkpoint's row lock, so two workers serialize. The work goes to
 * the event store, not to this transaction: it is idempotent instead (deterministic ids, deciders that record
 * nothing the second time), so a crash between the work and the checkpoint repeats work that changes nothing,
 * and running the reactor twice over the same events gives the same documents.
 */
export class InvoiceReactor {
  private readonly knex: Knex;
  private readonly handles = new Set<string>(INVOICE_SOURCE_EVENT_TYPES);
  private position: Position | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private closeSubscription: (() => Promise<void>) | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly options: {
      orm: ProjectionsOrm;
      eventStore: EventStore;
      issuer: InvoiceIssuer;
      batchSize?: number;
      logger?: ProjectionLogger;
    },
  ) {
    this.knex = options.orm.em.getConnection().getKnex();
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.runLoop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.closeSubscription?.().catch(() => undefined);
    await this.loop;
    this.loop = null;
  }

  /** Handles everything already stored and returns the number of events passed (tests, one-off runs). */
  async catchUp(): Promise<number> {
    this.position = await readCheckpoint(this.knex, INVOICE_REACTOR_CHECKPOINT);
    let passed = 0;
    for (;;) {
      const page = await this.options.eventStore.readAll({ after: this.position, maxCount: this.batchSize });
      if (page.events.length === 0) break;
      await this.applyBatch(page.events);
      passed += page.events.length;
      if (!page.isFull) break;
    }
    return passed;
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.position = await readCheckpoint(this.knex, INVOICE_REACTOR_CHECKPOINT);
        await recordStatus(this.knex, INVOICE_REACTOR_CHECKPOINT, 'running');
        const subscription = this.options.eventStore.subscribeToAll({
          after: this.position,
          batchSize: this.batchSize,
        });
        this.closeSubscription = () => subscription.close();
        try {
          while (!this.stopping) {
            const batch = await subscription.nextBatch(this.batchSize);
            if (batch.length === 0) break; // closed
            await this.applyBatch(batch);
            failures = 0;
          }
        } finally {
          this.closeSubscription = null;
          await subscription.close().catch(() => undefined);
        }
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.options.logger?.error('invoice reactor failed, retrying', { error: message.split('\n')[0] });
        await recordStatus(this.knex, INVOICE_REACTOR_CHECKPOINT, 'failed', message.slice(0, 4000)).catch(
          () => undefined,
        );
        await this.sleep(Math.min(30_000, 500 * 2 ** (failures - 1)));
      }
    }
    await recordStatus(this.knex, INVOICE_REACTOR_CHECKPOINT, 'stopped').catch(() => undefined);
  }

  /** Issues the batch's documents in order, then moves the checkpoint past the batch. */
  private async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    for (const event of batch) {
      if (!this.handles.has(event.type)) continue;
      const issued = await this.options.issuer.handle(event);
      if (issued) this.options.logger?.debug('invoice issued', { ...issued, eventId: event.id });
    }
    const last = batch[batch.length - 1];
    await this.knex.transaction(async (trx) => {
      const stored = await lockCheckpoint(trx, INVOICE_REACTOR_CHECKPOINT);
      // Another worker already went as far or further: its work includes ours (idempotent), keep it.
      if (stored !== null && comparePositions(stored, last.position) >= 0) return;
      await advanceCheckpoint(trx, INVOICE_REACTOR_CHECKPOINT, {
        position: last.position,
        events: batch.length,
        status: 'running',
        lastEventAt: Number.isNaN(Date.parse(last.metadata.occurredAt))
          ? null
          : new Date(last.metadata.occurredAt),
      });
    });
    this.position = last.position;
    this.options.logger?.debug('invoice reactor checkpoint', { position: formatPosition(last.position) });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
