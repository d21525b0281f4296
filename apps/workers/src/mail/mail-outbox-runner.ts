/**
 * The mail reactor: reads the all-stream after its checkpoint and, for each batch, writes the outbox rows the
 * events call for (mail-reactions.ts) and advances its checkpoint in one transaction, so a crash neither loses a
 * mail nor writes one twice. A row's id is derived from (event id, template, recipient): at most one row, hence at
 * most one message, per (event, template, recipient). On its very first start it begins at the head of the store
 * (history written before mail existed sends nothing).
 */
import type { Knex } from '@mikro-orm/postgresql';
import { deterministicEventId, type EventStore, type RecordedEvent } from '@stratus/eventstore';
import {
  advanceCheckpoint,
  lockCheckpoint,
  readCheckpoint,
  type ProjectionLogger,
} from '@stratus/projections';
import {
  MAIL_EVENT_TYPES,
  mailReactions,
  ReadModelLagError,
  type MailReactionOptions,
} from './mail-reactions';

export const MAIL_OUTBOX_CHECKPOINT = 'mail-outbox';

export interface MailOutboxRunnerOptions extends MailReactionOptions {
  knex: Knex;
  eventStore: EventStore;
  batchSize?: number;
  /** Checkpoint row (default MAIL_OUTBOX_CHECKPOINT). */
  checkpointName?: string;
  /** Where a first start begins: 'head' (default, production) or 'beginning' (tests). */
  startAt?: 'head' | 'beginning';
  /** Pause between polls when caught up, and after a failure (doubling up to 30 s). */
  pollMs?: number;
  logger?: ProjectionLogger;
}

const handled = new Set<string>(MAIL_EVENT_TYPES);

export function mailOutboxRowId(eventId: string, template: string, userId: string): string {
  return deterministicEventId(`mail-outbox:${eventId}:${template}:${userId}`);
}

export class MailOutboxRunner {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly checkpointName: string;

  constructor(private readonly options: MailOutboxRunnerOptions) {
    this.checkpointName = options.checkpointName ?? MAIL_OUTBOX_CHECKPOINT;
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Applies everything already in the store; returns how many outbox rows it wrote. */
  async catchUp(): Promise<number> {
    await this.initialize();
    let written = 0;
    for (;;) {
      const { events, rows } = await this.applyNextBatch();
      written += rows;
      if (events < (this.options.batchSize ?? 200)) return written;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.initialize();
        const { events } = await this.applyNextBatch();
        failures = 0;
        if (events === 0) await this.sleep(this.options.pollMs ?? 500);
      } catch (error) {
        failures += 1;
        const fields = { error: String(error) };
        if (error instanceof ReadModelLagError) this.options.logger?.debug('mail outbox: waiting', fields);
        else this.options.logger?.error('mail outbox: batch failed', fields);
        await this.sleep(Math.min(30_000, (this.options.pollMs ?? 500) * 2 ** Math.min(failures, 6)));
      }
    }
  }

  private async initialize(): Promise<void> {
    const { knex, eventStore } = this.options;
    if ((this.options.startAt ?? 'head') !== 'head') return;
    if ((await readCheckpoint(knex, this.checkpointName)) !== null) return;
    const head = await eventStore.headPosition();
    if (!head) return;
    await knex.transaction(async (trx) => {
      if ((await lockCheckpoint(trx, this.checkpointName)) !== null) return;
      await advanceCheckpoint(trx, this.checkpointName, {
        position: head,
        events: 0,
        status: 'running',
        lastEventAt: null,
      });
    });
  }

  /** One transaction: lock the checkpoint, write the batch's outbox rows, advance the checkpoint. */
  private async applyNextBatch(): Promise<{ events: number; rows: number }> {
    const { knex, eventStore } = this.options;
    const batchSize = this.options.batchSize ?? 200;
    let result = { events: 0, rows: 0 };
    await knex.transaction(async (trx) => {
      const after = await lockCheckpoint(trx, this.checkpointName);
      const page = await eventStore.readAll({ after, maxCount: batchSize });
      if (page.events.length === 0) return;
      let rows = 0;
      for (const event of page.events) if (handled.has(event.type)) rows += await this.react(trx, event);
      const last = page.events[page.events.length - 1];
      await advanceCheckpoint(trx, this.checkpointName, {
        position: last.position,
        events: page.events.length,
        status: 'running',
        lastEventAt: new Date(last.metadata.occurredAt),
      });
      result = { events: page.events.length, rows };
    });
    return result;
  }

  private async react(trx: Knex, event: RecordedEvent): Promise<number> {
    let written = 0;
    const sources = { db: trx, eventStore: this.options.eventStore };
    for (const reaction of await mailReactions(sources, event, this.options)) {
      const inserted = await trx.raw(
        `insert into mail_outbox (id, event_id, event_type, template, recipient_user_id, to_address, data, status,
                                  attempts, next_attempt_at, created_at)
         values (?, ?, ?, ?, ?, ?, ?::jsonb, 'pending', 0, now(), now())
         on conflict do nothing`,
        [
          mailOutboxRowId(event.id, reaction.template, reaction.recipient.userId),
          event.id,
          event.type,
          reaction.template,
          reaction.recipient.userId,
          reaction.recipient.email,
          JSON.stringify(reaction.data),
        ],
      );
      written += inserted.rowCount ?? 0;
    }
    return written;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }
}
