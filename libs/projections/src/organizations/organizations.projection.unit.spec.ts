import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { organizationsProjection } from './organizations.projection';

describe('organizations projection', () => {
  it('creates, renames and counts members added and removed', () => {
    const rows = foldProjection(organizationsProjection, [
      recorded(
        'OrganizationCreated',
        { organizationId: 'o1', name: 'Acme', createdBy: 'u1' },
        { occurredAt: '2026-03-01T00:00:00.000Z' },
      ),
      recorded('MemberAdded', { organizationId: 'o1', userId: 'u1', role: 'owner' }),
      recorded('MemberAdded', { organizationId: 'o1', userId: 'u2', role: 'member' }),
      recorded('MemberAdded', { organizationId: 'o1', userId: 'u3', role: 'member' }),
      recorded('MemberRemoved', { organizationId: 'o1', userId: 'u2', role: 'member', reason: 'left' }),
      recorded('OrganizationRenamed', { organizationId: 'o1', name: 'Acme Hosting' }),
    ]);
    expect(rows.get('o1')).toEqual({
      id: 'o1',
      name: 'Acme Hosting',
      createdBy: 'u1',
      createdAt: new Date('2026-03-01T00:00:00.000Z'),
      memberCount: 2,
    });
  });

  it('keeps organizations apart', () => {
    const rows = foldProjection(organizationsProjection, [
      recorded('OrganizationCreated', { organizationId: 'o1', name: 'A', createdBy: 'u1' }),
      recorded('OrganizationCreated', { organizationId: 'o2', name: 'B', createdBy: 'u2' }),
      recorded('MemberAdded', { organizationId: 'o2', userId: 'u2', role: 'owner' }),
    ]);
    expect(rows.get('o1')?.memberCount).toBe(0);
    expect(rows.get('o2')?.memberCount).toBe(1);
  });
});
