import type { Clock } from '../../../shared/event-sourcing/tokens';
import { ConsoleTickets, type ConsoleGrant } from './console-tickets.service';

const grant: ConsoleGrant = { userId: 'u1', platformRole: 'customer', organizationId: 'o1', vpsId: 'v1' };

function tickets() {
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  const clock: Clock = { now: () => new Date(now) };
  return { service: new ConsoleTickets(clock), advance: (ms: number) => (now += ms) };
}

describe('ConsoleTickets', () => {
  test('a ticket is random, valid 30 s, and carries its grant once', () => {
    const { service } = tickets();
    const a = service.issue(grant)!;
    const b = service.issue(grant)!;
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.ticket).not.toBe(b.ticket);
    expect(a.expiresAt.toISOString()).toBe('2026-01-01T00:00:30.000Z');
    expect(service.consume(a.ticket)).toEqual({ ok: true, grant });
    expect(service.consume(a.ticket)).toEqual({ ok: false, reason: 'reused' });
    expect(service.consume('not-a-ticket')).toEqual({ ok: false, reason: 'unknown' });
  });

  test('expires after 30 s, and an expired ticket is used up too', () => {
    const { service, advance } = tickets();
    const { ticket } = service.issue(grant)!;
    advance(29_999);
    const { ticket: other } = service.issue(grant)!;
    expect(service.consume(ticket)).toEqual({ ok: true, grant });
    advance(30_001);
    expect(service.consume(other)).toEqual({ ok: false, reason: 'expired' });
    expect(service.consume(other)).toEqual({ ok: false, reason: 'reused' });
  });

  test('keeps no ticket in clear', () => {
    const { service } = tickets();
    const { ticket } = service.issue(grant)!;
    expect(
      JSON.stringify([...(service as unknown as { pending: Map<string, unknown> }).pending]),
    ).not.toContain(ticket);
  });

  test('at most 20 unused tickets per user', () => {
    const { service, advance } = tickets();
    for (let i = 0; i < 20; i++) expect(service.issue(grant)).not.toBeNull();
    expect(service.issue(grant)).toBeNull();
    expect(service.issue({ ...grant, userId: 'u2' })).not.toBeNull();
    advance(61_000);
    expect(service.issue(grant)).not.toBeNull();
  });
});
