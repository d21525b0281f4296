import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import { createProjectionsOrm, migrateReadModels, type ProjectionsOrm } from '@stratus/projections';
import type { Clock } from '../../../shared/event-sourcing/tokens';
import { WebSocketTickets } from '../../../shared/websocket-tickets/websocket-tickets.store';
import { ConsoleTickets, type ConsoleGrant } from './console-tickets.service';

const grant: ConsoleGrant = { userId: 'u1', platformRole: 'customer', organizationId: 'o1', vpsId: 'v1' };

let db: TestDatabase;
let orm: ProjectionsOrm;
beforeAll(async () => {
  db = await createTestDatabase('stratus_console_tickets');
  orm = await createProjectionsOrm(db.url);
  await migrateReadModels(orm);
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

/** Two API instances' ticket services over the one database, on a clock the test moves. */
function instances() {
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  const clock: Clock = { now: () => new Date(now) };
  const make = () => new ConsoleTickets(clock, new WebSocketTickets(orm));
  return { first: make(), second: make(), start: now, advance: (ms: number) => (now += ms) };
}

describe('ConsoleTickets', () => {
  test('a ticket is random, valid 30 s, and carries its grant once, whichever instance presents it', async () => {
    const { first, second, start } = instances();
    const a = (await first.issue(grant))!;
    const b = (await first.issue(grant))!;
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.ticket).not.toBe(b.ticket);
    expect(a.expiresAt.getTime()).toBe(start + 30_000);
    expect(await second.consume(a.ticket)).toEqual({ ok: true, grant });
    expect(await first.consume(a.ticket)).toEqual({ ok: false, reason: 'reused' });
    expect(await second.consume(a.ticket)).toEqual({ ok: false, reason: 'reused' });
    expect(await first.consume('not-a-ticket')).toEqual({ ok: false, reason: 'unknown' });
  });

  test('expires after 30 s, and an expired ticket is used up too', async () => {
    const { first, advance } = instances();
    const { ticket } = (await first.issue(grant))!;
    advance(29_999);
    const { ticket: other } = (await first.issue(grant))!;
    expect(await first.consume(ticket)).toEqual({ ok: true, grant });
    advance(30_001);
    expect(await first.consume(other)).toEqual({ ok: false, reason: 'expired' });
    expect(await first.consume(other)).toEqual({ ok: false, reason: 'reused' });
  });

  test('keeps no ticket in clear', async () => {
    const { first } = instances();
    const { ticket } = (await first.issue(grant))!;
    const rows = await orm.em.getConnection().execute('select * from websocket_tickets');
    expect(JSON.stringify(rows)).not.toContain(ticket);
  });

  test('at most 20 unused tickets per user, counted across instances', async () => {
    const { first, second, advance } = instances();
    const mine = { ...grant, userId: 'u-pending' };
    for (let i = 0; i < 10; i++) expect(await first.issue(mine)).not.toBeNull();
    for (let i = 0; i < 10; i++) expect(await second.issue(mine)).not.toBeNull();
    expect(await first.issue(mine)).toBeNull();
    expect(await second.issue(mine)).toBeNull();
    expect(await first.issue({ ...mine, userId: `${mine.userId}-other` })).not.toBeNull();
    advance(31_000);
    expect(await first.issue(mine)).not.toBeNull();
  });
});
