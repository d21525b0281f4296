import type { ApiConfig } from '../../../shared/config/api-config';
import { LIVE_TICKET_TTL_SECONDS, LiveTicketService } from './live-ticket.service';

const config = { jwt: { secret: 'a-test-secret-long-enough-for-hmac!' } } as ApiConfig;
const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('live tickets', () => {
  it('a ticket opens one socket: redeemed once, then refused', () => {
    const tickets = new LiveTicketService(config);
    const { ticket, expiresAt } = tickets.issue('user-1', NOW);
    expect(expiresAt).toBe(new Date(NOW + LIVE_TICKET_TTL_SECONDS * 1000).toISOString());
    expect(tickets.redeem(ticket, NOW + 1000)).toMatchObject({ userId: 'user-1' });
    expect(tickets.redeem(ticket, NOW + 2000)).toBeNull();
  });

  it('refuses an expired ticket', () => {
    const tickets = new LiveTicketService(config);
    const { ticket } = tickets.issue('user-1', NOW);
    expect(tickets.redeem(ticket, NOW + (LIVE_TICKET_TTL_SECONDS + 1) * 1000)).toBeNull();
  });

  it('refuses a ticket whose claims were changed, one signed with another secret, and garbage', () => {
    const tickets = new LiveTicketService(config);
    const { ticket } = tickets.issue('user-1', NOW);
    const [, signature] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'user-2', jti: 'x', exp: NOW / 1000 + 60 })).toString(
      'base64url',
    );
    expect(tickets.redeem(`${forged}.${signature}`, NOW)).toBeNull();
    const other = new LiveTicketService({ jwt: { secret: 'another-secret-entirely-123456' } } as ApiConfig);
    expect(tickets.redeem(other.issue('user-1', NOW).ticket, NOW)).toBeNull();
    for (const junk of [null, '', 'a', 'a.b', 'a.b.c', 'x'.repeat(2000)])
      expect(tickets.redeem(junk, NOW)).toBeNull();
  });

  it('a ticket is checked by any instance sharing the secret (the web server may reach another API process)', () => {
    const { ticket } = new LiveTicketService(config).issue('user-1', NOW);
    expect(new LiveTicketService(config).redeem(ticket, NOW)).toMatchObject({ userId: 'user-1' });
  });
});
