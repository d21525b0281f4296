import type { NestExpressApplication } from '@nestjs/platform-express';
import { streams, type ConsoleEvent } from '@stratus/domain';
import type { NewEvent, RecordedEvent } from '@stratus/eventstore';
import { hostname } from 'node:os';
import { v4 as uuidv4 } from 'uuid';
import { createApiApp } from '../../app.factory';
import { startTestApi, type TestApi } from '../../testing/api-test-app';
import {
  ConsoleSessionRecovery,
  type ConsoleRecoveryResult,
} from './session/console-session-recovery.service';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './shared/console-settings';

jest.setTimeout(120_000);

// A "previous run" of an instance listening on THIS_PORT left sessions open; the test API (port 0) is
// another instance, and OTHER_PORT a third one still running elsewhere.
const THIS_PORT = 47_101;
const OTHER_PORT = 47_102;
const THIS_INSTANCE = `${hostname()}:${THIS_PORT}`;
const OTHER_INSTANCE = `${hostname()}:${OTHER_PORT}`;
const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;
const OPENED_AT = new Date(Date.now() - 3_600_000).toISOString();

let api: TestApi;
const vpsId = uuidv4();
const organizationId = uuidv4();
const mine = uuidv4();
const mineClosedNormally = uuidv4();
const others = uuidv4();
const legacy = uuidv4();

function event(type: ConsoleEvent['type'], data: object): NewEvent {
  return {
    id: uuidv4(),
    type,
    data,
    metadata: {
      correlationId: 'previous-run',
      causationId: 'previous-run',
      actor: { userId: 'user-1', role: 'customer' },
      occurredAt: OPENED_AT,
      schemaVersion: 1,
    },
  };
}

const opened = (sessionId: string, instanceId?: string) =>
  event('ConsoleSessionOpened', {
    sessionId,
    vpsId,
    organizationId,
    userId: 'user-1',
    ip: '203.0.113.9',
    userAgent: 'Firefox',
    openedAt: OPENED_AT,
    ...(instanceId ? { instanceId } : {}),
  });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts the API as the instance on `port` over the test database; returns its recovery's result. */
async function startInstance(
  port: number,
): Promise<{ app: NestExpressApplication; result: ConsoleRecoveryResult }> {
  const app = await createApiApp(
    { ...api.config, http: { ...api.config.http, port } },
    { logger: ['error'], seedAdmin: false },
  );
  expect(app.get<ConsoleSettings>(CONSOLE_SETTINGS).instanceId).toBe(`${hostname()}:${port}`);
  const result = await app.get(ConsoleSessionRecovery).done;
  return { app, result };
}

const closesOf = (events: RecordedEvent[], sessionId: string) =>
  events.filter(
    (e) => e.type === 'ConsoleSessionClosed' && (e.data as { sessionId: string }).sessionId === sessionId,
  );

describe('console sessions left open by a crashed API instance', () => {
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
    const stream = streams.console(vpsId);
    await api.eventStore.appendToStream(
      stream,
      [
        event('ConsoleHostKeyPinned', {
          vpsId,
          organizationId,
          algorithm: 'ssh-ed25519',
          fingerprint: FINGERPRINT,
        }),
        opened(mine, THIS_INSTANCE),
        opened(mineClosedNormally, THIS_INSTANCE),
        event('ConsoleSessionClosed', {
          sessionId: mineClosedNormally,
          vpsId,
          reason: 'shell exited with status 0',
          durationSeconds: 5,
          bytesIn: 10,
          bytesOut: 100,
        }),
        opened(others, OTHER_INSTANCE),
        opened(legacy),
      ],
      { expectedRevision: 'no_stream' },
    );
    // The previous run's events are in the event log before the instance starts again.
    await waitFor(
      async () =>
        (
          await api.orm.em
            .getConnection()
            .execute<{ n: number }[]>('select count(*)::int as n from event_log where stream_id = ?', [
              stream,
            ])
        )[0].n,
      (n) => n === 6,
      'the event log',
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('closes the sessions it opened, as the system, with reason api_restarted; leaves the others alone; never twice', async () => {
    const before = Date.now();
    const first = await startInstance(THIS_PORT);
    await first.app.close();
    expect(first.result).toEqual({ found: 1, closed: 1 });

    const events = await api.eventStore.readStream(streams.console(vpsId));
    const [closed] = closesOf(events, mine);
    expect(closed.data).toEqual({
      sessionId: mine,
      vpsId,
      reason: 'api_restarted',
      durationSeconds: expect.any(Number),
      bytesIn: 0,
      bytesOut: 0,
      durationIsUpperBound: true,
      bytesUnknown: true,
    });
    // Up to this start: at least the hour since it opened.
    expect((closed.data as { durationSeconds: number }).durationSeconds).toBeGreaterThanOrEqual(
      Math.floor((before - Date.parse(OPENED_AT)) / 1000),
    );
    expect(closed.metadata.actor).toEqual({ userId: 'system', role: 'system' });
    expect(closesOf(events, mineClosedNormally)).toHaveLength(1);
    expect(closesOf(events, others)).toHaveLength(0);
    expect(closesOf(events, legacy)).toHaveLength(0);

    // A second start of the same instance (its close now in the event log) closes nothing again.
    await waitFor(
      async () =>
        (
          await api.orm.em
            .getConnection()
            .execute<{ n: number }[]>('select count(*)::int as n from event_log where event_id = ?', [
              closed.id,
            ])
        )[0].n,
      (n) => n === 1,
      'the close in the event log',
    );
    const second = await startInstance(THIS_PORT);
    await second.app.close();
    expect(second.result).toEqual({ found: 0, closed: 0 });
    expect(await api.eventStore.readStream(streams.console(vpsId))).toHaveLength(events.length);
  });

  it('the other instance, restarting, closes its own session and nothing of this one', async () => {
    const stream = streams.console(vpsId);
    const length = (await api.eventStore.readStream(stream)).length;
    const other = await startInstance(OTHER_PORT);
    await other.app.close();
    expect(other.result).toEqual({ found: 1, closed: 1 });
    const events = await api.eventStore.readStream(stream);
    expect(events).toHaveLength(length + 1);
    expect(closesOf(events, others)).toHaveLength(1);
    expect(closesOf(events, mine)).toHaveLength(1);
  });
});
