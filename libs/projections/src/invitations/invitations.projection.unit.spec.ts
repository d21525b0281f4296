import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { invitationsProjection } from './invitations.projection';

const created = (invitationId: string, email: string) =>
  recorded(
    'InvitationCreated',
    {
      organizationId: 'o1',
      invitationId,
      email,
      role: 'viewer',
      roleName: 'viewer',
      invitedBy: 'u1',
      tokenHash: 'hash',
      sealedToken: 'sealed',
      expiresAt: '2026-04-08T10:00:00.000Z',
    },
    { occurredAt: '2026-04-01T10:00:00.000Z' },
  );

describe('invitations projection', () => {
  it('lists an invitation as pending, never with its token, and closes it', () => {
    const pending = foldProjection(invitationsProjection, [created('i1', 'a@example.com')]);
    expect([...pending.values()]).toEqual([
      {
        id: 'i1',
        organizationId: 'o1',
        email: 'a@example.com',
        role: 'viewer',
        invitedBy: 'u1',
        status: 'pending',
        createdAt: new Date('2026-04-01T10:00:00.000Z'),
        expiresAt: new Date('2026-04-08T10:00:00.000Z'),
        closedAt: null,
      },
    ]);
    const closed = foldProjection(invitationsProjection, [
      created('i1', 'a@example.com'),
      created('i2', 'b@example.com'),
      created('i3', 'c@example.com'),
      recorded(
        'InvitationAccepted',
        { organizationId: 'o1', invitationId: 'i1', email: 'a@example.com', userId: 'u2' },
        { occurredAt: '2026-04-02T10:00:00.000Z' },
      ),
      recorded('InvitationDeclined', {
        organizationId: 'o1',
        invitationId: 'i2',
        email: 'b@example.com',
        userId: 'u3',
      }),
      recorded('InvitationRevoked', { organizationId: 'o1', invitationId: 'i3', email: 'c@example.com' }),
    ]);
    expect([...closed.values()].map((r) => [r.id, r.status])).toEqual([
      ['i1', 'accepted'],
      ['i2', 'declined'],
      ['i3', 'revoked'],
    ]);
    expect(closed.get('i1')?.closedAt).toEqual(new Date('2026-04-02T10:00:00.000Z'));
  });
});
