/**
 * What the mail suites share: a fresh database with the read models, an event store, Mailpit, and the reactor and
 * sender wired to them. Events are appended as the API and the workflows write them, then projected, then mailed.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import {
  comparePositions,
  createEventStore,
  type EventStore,
  type NewEvent,
  type Position,
} from '@stratus/eventstore';
import { SecretBox } from '@stratus/infra';
import {
  createTestDatabase,
  mailpitClient,
  startMailpit,
  waitFor,
  type Mailpit,
  type MailpitClient,
  type TestDatabase,
} from '@stratus/infra/testing';
import {
  createProjectionsOrm,
  migrateReadModels,
  ProjectionRunner,
  PROJECTIONS,
  type ProjectionsOrm,
} from '@stratus/projections';
import { MailOutboxRunner, type MailOutboxRunnerOptions } from '../mail-outbox-runner';
import { MailSender, type MailSenderOptions } from '../mail-sender';
import type { MailBrand } from '../mail-templates';

export const TEST_BRAND: MailBrand = {
  productName: 'Stratus',
  accentColor: '#2563eb',
  portalUrl: 'http://portal.test',
};
export const TEST_FROM = 'Stratus <no-reply@stratus.test>';

/** An event as the system writes it, `occurredAt` now unless given. */
export function mailEvent(type: string, data: object, occurredAt = new Date().toISOString()): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { userId: 'system', role: 'system' },
      occurredAt,
      schemaVersion: 1,
    },
  };
}

export class MailTestBed {
  db!: TestDatabase;
  store!: EventStore;
  orm!: ProjectionsOrm;
  knex!: Knex;
  mailpit!: Mailpit;
  client!: MailpitClient;
  /** SECRETS_ENCRYPTION_KEY's box: seals link tokens as the API does, opens them in the sender. */
  readonly secretBox = new SecretBox(SecretBox.generateKey());
  private lastAppended: Position | null = null;

  /** Recipients outside example.test are refused for good (a 5xx), like an unknown mailbox. */
  async start(databasePrefix: string): Promise<this> {
    this.db = await createTestDatabase(databasePrefix);
    this.store = await createEventStore({ kind: 'postgres', databaseUrl: this.db.url });
    this.orm = await createProjectionsOrm(this.db.url);
    await migrateReadModels(this.orm);
    this.knex = this.orm.em.getConnection().getKnex();
    this.mailpit = await startMailpit({ allowedRecipients: '@example\\.test$' });
    this.client = mailpitClient(this.mailpit.uiUrl);
    return this;
  }

  async stop(): Promise<void> {
    await this.mailpit?.stop();
    await this.orm?.close(true);
    await this.store?.close();
    await this.db?.drop();
  }

  async append(stream: string, ...events: NewEvent[]): Promise<void> {
    this.lastAppended = (
      await this.store.appendToStream(stream, events, { expectedRevision: 'any' })
    ).position;
  }

  register(userId: string, email: string): Promise<void> {
    return this.append(
      `user-${userId}`,
      mailEvent('UserRegistered', {
        userId,
        email,
        name: userId,
        passwordHash: 'x',
        platformRole: 'customer',
      }),
    );
  }

  /** Runs every projection over what was appended (once the appends are visible to readers). */
  async project(): Promise<void> {
    // Readers see an event once no older transaction is still running (on the whole server, other suites' included).
    await waitFor(
      'the appended events to be visible',
      async () => {
        const head = await this.store.headPosition();
        return {
          value: head && comparePositions(head, this.lastAppended!) >= 0 ? true : undefined,
          seen: head,
        };
      },
      60_000,
      50,
    );
    for (const projection of PROJECTIONS)
      await new ProjectionRunner({ orm: this.orm, eventStore: this.store, projection }).catchUp();
  }

  reactor(overrides: Partial<MailOutboxRunnerOptions> = {}): MailOutboxRunner {
    return new MailOutboxRunner({
      knex: this.knex,
      eventStore: this.store,
      lowBalanceHours: 24,
      suspendGraceSeconds: 3600,
      startAt: 'beginning',
      ...overrides,
    });
  }

  sender(overrides: Partial<MailSenderOptions> = {}): MailSender {
    return new MailSender({
      knex: this.knex,
      smtpUrl: this.mailpit.smtpUrl,
      from: TEST_FROM,
      brand: TEST_BRAND,
      secretBox: this.secretBox,
      ...overrides,
    });
  }
}
