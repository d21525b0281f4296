import { ALL_EVENT_TYPES, foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { eventLogProjection, organizationOf } from './event-log.projection';

const at = '2026-11-30T04:05:06.000Z';

describe('event-log projection', () => {
  it('reads every event type', () => {
    expect(eventLogProjection.handles).toBe(ALL_EVENT_TYPES);
  });

  it('keys each event by its id and records where, who, from where, when and what', () => {
    const event = {
      ...recorded(
        'WalletCredited',
        { walletId: 'w1', organizationId: 'org-1', amount: '5', balanceAfter: '5', source: 'staff_credit' },
        { occurredAt: at, streamId: 'wallet-org-1', position: { commit: 900n, prepare: 7n } },
      ),
      revision: 3n,
    };
    event.metadata = {
      ...event.metadata,
      correlationId: 'req-1',
      causationId: 'evt-0',
      actor: {
        userId: 'staff-1',
        role: 'admin',
        impersonatorId: 'boss',
        ip: '203.0.113.9',
        userAgent: 'curl/8',
      },
    };
    expect(eventLogProjection.keyOf(event)).toBe(event.id);
    expect(eventLogProjection.evolve(null, event)).toEqual({
      eventId: event.id,
      positionCommit: 900n,
      positionPrepare: 7n,
      streamId: 'wallet-org-1',
      streamCategory: 'wallet',
      revision: 3n,
      type: 'WalletCredited',
      organizationId: 'org-1',
      actorUserId: 'staff-1',
      actorRole: 'admin',
      impersonatorId: 'boss',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      correlationId: 'req-1',
      causationId: 'evt-0',
      occurredAt: new Date(at),
      data: event.data,
      metadata: event.metadata,
    });
  });

  it('takes the organization from the data, else from organization-/wallet- stream ids, else none', () => {
    expect(organizationOf(recorded('X', { organizationId: 'o-data' }, { streamId: 'vps-1' }))).toBe('o-data');
    expect(organizationOf(recorded('OrganizationRenamed', {}, { streamId: 'organization-o-2' }))).toBe('o-2');
    expect(organizationOf(recorded('WalletOpened', {}, { streamId: 'wallet-o-3' }))).toBe('o-3');
    expect(organizationOf(recorded('VpsActivated', { ipv4: '1.2.3.4' }, { streamId: 'vps-9' }))).toBeNull();
    expect(organizationOf(recorded('UserRegistered', { userId: 'u' }, { streamId: 'user-u' }))).toBeNull();
  });

  it('leaves absent actor details null (system events)', () => {
    const row = eventLogProjection.evolve(
      null,
      recorded('PlanCreated', { planId: 'p' }, { streamId: 'plan-p' }),
    );
    expect(row).toMatchObject({ impersonatorId: null, ip: null, userAgent: null, organizationId: null });
  });

  it('gives the same rows when events are applied again', () => {
    const events = [
      recorded('A', { organizationId: 'o' }, { streamId: 'organization-o' }),
      recorded('B', {}, { streamId: 'vps-1' }),
    ];
    expect(foldProjection(eventLogProjection, [...events, ...events])).toEqual(
      foldProjection(eventLogProjection, events),
    );
  });
});
