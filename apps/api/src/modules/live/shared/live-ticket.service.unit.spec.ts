import type { ApiConfig } from '../../../shared/config/api-config';
import type { WebSocketTickets } from '../../../shared/websocket-tickets/websocket-tickets.store';
import { LIVE_TICKET_TTL_SECONDS, LiveTicketService } from './live-ticket.service';

const config = { jwt: { secret: 'a-test-secret-long-enough-for-hmac!' } } as ApiConfig;
const NOW = Date.parse('2026-11-30T12:00:00Z');

/** The redemptions as PostgreSQL keeps them for every instance (websocket-tickets.store). */
function redemptions(): WebSocketTickets {
  const redeemed = new Set<string>();
  return {
    redeemOnce: async (id: string) => !redeemed.has(id) && Boolean(redeemed.add(id)),
  } as unknown as WebSocketTickets;
}
const service = (store = redemptions(), secretConfig = config) => new LiveTicketService(secretConfig, store);

describe('live tickets', () => {
  it('a ticket opens one socket: redeemed once, then refused', async () => {
    const tickets = service();
    const { ticket, expiresAt } = tickets.issue('user-1', NOW);
    expect(expiresAt).toBe(new Date(NOW + LIVE_TICKET_TTL_SECONDS * 1000).toISOString());
    expect(await tickets.redeem(ticket, NOW + 1000)).toMatchObject({ userId: 'user-1' });
    expect(await tickets.redeem(ticket, NOW + 2000)).toBeNull();
  });

  it('refuses an expired ticket', async () => {
    const tickets = service();
    const { ticket } = tickets.issue('user-1', NOW);
    expect(await tickets.redeem(ticket, NOW + (LIVE_TICKET_TTL_SECONDS + 1) * 1000)).toBeNull();
  });

  it('refuses a ticket whose claims were changed, one signed with another secret, and garbage', () => {
    const tickets = service();
    const { ticket } = tickets.issue('user-1', NOW);
    const [, signature] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'user-2', jti: 'x', exp: NOW / 1000 + 60 })).toString(
      'base64url',
    );
    expect(tickets.verify(`${forged}.${signature}`, NOW)).toBeNull();
    const other = service(redemptions(), { jwt: { secret: 'another-secret-entirely-123456' } } as ApiConfig);
    expect(tickets.verify(other.issue('user-1', NOW).ticket, NOW)).toBeNull();
    for (const junk of [null, '', 'a', 'a.b', 'a.b.c', 'x'.repeat(2000)])
      expect(tickets.verify(junk, NOW)).toBeNull();
  });

  it('a ticket is checked by any instance sharing the secret, and used once by them all', async () => {
    const shared = redemptions();
    const { ticket } = service(shared).issue('user-1', NOW);
    expect(await service(shared).redeem(ticket, NOW)).toMatchObject({ userId: 'user-1' });
    expect(await service(shared).redeem(ticket, NOW)).toBeNull();
  });
});
