import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { membershipsProjection } from './memberships.projection';

describe('memberships projection', () => {
  it('adds a member with the join time and follows role changes', () => {
    const rows = foldProjection(membershipsProjection, [
      recorded(
        'MemberAdded',
        { organizationId: 'o1', userId: 'u2', role: 'member' },
        { occurredAt: '2026-04-01T10:00:00.000Z' },
      ),
      recorded('MemberRoleChanged', {
        organizationId: 'o1',
        userId: 'u2',
        role: 'admin',
        previousRole: 'member',
      }),
    ]);
    expect([...rows.values()]).toEqual([
      { organizationId: 'o1', userId: 'u2', role: 'admin', joinedAt: new Date('2026-04-01T10:00:00.000Z') },
    ]);
  });

  it('deletes the row when the member is removed, and a re-added member joins anew', () => {
    const removed = foldProjection(membershipsProjection, [
      recorded('MemberAdded', { organizationId: 'o1', userId: 'u2', role: 'member' }),
      recorded('MemberRemoved', { organizationId: 'o1', userId: 'u2', role: 'member', reason: 'removed' }),
    ]);
    expect(removed.size).toBe(0);
    const readded = foldProjection(
      membershipsProjection,
      [
        recorded(
          'MemberAdded',
          { organizationId: 'o1', userId: 'u2', role: 'vps_manager' },
          { occurredAt: '2026-05-01T00:00:00.000Z' },
        ),
      ],
      removed,
    );
    expect([...readded.values()]).toEqual([
      {
        organizationId: 'o1',
        userId: 'u2',
        role: 'vps_manager',
        joinedAt: new Date('2026-05-01T00:00:00.000Z'),
      },
    ]);
  });

  it('keys rows by organization and user', () => {
    expect(
      membershipsProjection.keyOf(
        recorded('MemberAdded', { organizationId: 'o1', userId: 'u2', role: 'member' }),
      ),
    ).toEqual(['o1', 'u2']);
  });
});
