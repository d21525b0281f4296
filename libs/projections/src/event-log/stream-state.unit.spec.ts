import { streamCategory, streams } from '@stratus/domain';
import { STREAM_KINDS, StreamStateFolder, toJsonSafe, type FoldableEvent } from './stream-state';

const wallet = (n: number, type: string, data: object): FoldableEvent => ({
  revision: BigInt(n),
  type,
  data: { walletId: 'w1', organizationId: 'o1', ...data },
  occurredAt: new Date(Date.UTC(2026, 10, 30, 1, n)),
});

const walletHistory = [
  wallet(0, 'WalletOpened', { currency: 'USD' }),
  wallet(1, 'WalletCredited', {
    amount: '10',
    balanceAfter: '10.000000',
    source: 'staff_credit',
    reason: 'r',
  }),
  wallet(2, 'WalletCharged', { chargeId: 'c1', amount: '2.5', balanceAfter: '7.500000', description: 'd' }),
  wallet(3, 'WalletCredited', { amount: '1', balanceAfter: '8.500000', source: 'payment', reason: 'r' }),
];

function fold(category: string, events: FoldableEvent[], at = {}) {
  const folder = new StreamStateFolder(category, at);
  for (const event of events) if (!folder.apply(event)) break;
  return folder;
}

describe('StreamStateFolder', () => {
  it("folds with the domain's evolve: a wallet's balance as a money string", () => {
    const folder = fold('wallet', walletHistory);
    expect(folder.revision).toBe(3n);
    expect(folder.state()).toEqual({
      status: 'open',
      walletId: 'w1',
      organizationId: 'o1',
      currency: 'USD',
      balance: '8.500000',
      burn: {},
      debts: [],
    });
  });

  it('stops right after atRevision', () => {
    const folder = fold('wallet', walletHistory, { revision: 1n });
    expect(folder.revision).toBe(1n);
    expect(folder.state()).toMatchObject({ balance: '10.000000' });
  });

  it('stops at the first event after atTime (inclusive of events at that instant)', () => {
    const folder = fold('wallet', walletHistory, { time: new Date(Date.UTC(2026, 10, 30, 1, 2)) });
    expect(folder.revision).toBe(2n);
    expect(folder.state()).toMatchObject({ balance: '7.500000' });
    const before = fold('wallet', walletHistory, { time: new Date(Date.UTC(2026, 10, 30, 0, 0)) });
    expect(before.revision).toBeNull();
    expect(before.state()).toEqual({ status: 'none' });
  });

  it('redacts the state and turns maps into objects (a user and an organization)', () => {
    const user = fold('user', [
      {
        revision: 0n,
        type: 'UserRegistered',
        data: {
          userId: 'u1',
          email: 'a@b.c',
          name: 'A',
          passwordHash: '$argon2id$x',
          platformRole: 'customer',
        },
        occurredAt: new Date(0),
      },
    ]);
    expect(user.state()).toMatchObject({ status: 'registered', passwordHash: '[redacted]' });
    const organization = fold('organization', [
      {
        revision: 0n,
        type: 'OrganizationCreated',
        data: { organizationId: 'o1', name: 'O', createdBy: 'u1' },
        occurredAt: new Date(0),
      },
      {
        revision: 1n,
        type: 'MemberAdded',
        data: { organizationId: 'o1', userId: 'u1', role: 'owner' },
        occurredAt: new Date(0),
      },
      {
        revision: 2n,
        type: 'InvitationCreated',
        data: {
          organizationId: 'o1',
          invitationId: 'i1',
          email: 'g@b.c',
          role: 'viewer',
          roleName: 'viewer',
          invitedBy: 'u1',
          tokenHash: 'f'.repeat(64),
          sealedToken: 'v1.sealed',
          expiresAt: '1970-01-08T00:00:00.000Z',
        },
        occurredAt: new Date(0),
      },
    ]);
    expect(organization.state()).toEqual({
      status: 'active',
      organizationId: 'o1',
      name: 'O',
      createdBy: 'u1',
      members: { u1: 'owner' },
      customRoles: {},
      // An invitation's token hash is a secret like any other.
      invitations: {
        i1: {
          status: 'pending',
          invitationId: 'i1',
          email: 'g@b.c',
          role: 'viewer',
          tokenHash: '[redacted]',
          expiresAt: '1970-01-08T00:00:00.000Z',
          invitedBy: 'u1',
        },
      },
    });
  });

  it('has no state for a category without a decider', () => {
    const folder = fold('something', [{ revision: 0n, type: 'X', data: {}, occurredAt: new Date(0) }]);
    expect(folder.state()).toBeNull();
    expect(folder.revision).toBe(0n);
  });
});

describe('toJsonSafe', () => {
  it('money keys as money strings, other bigints as decimal strings, dates as ISO, sets as arrays', () => {
    expect(
      toJsonSafe(
        { debt: 1_500_000n, count: 12n, at: new Date(0), tags: new Set(['a']), nested: [{ debt: -1n }] },
        new Set(['debt']),
      ),
    ).toEqual({
      debt: '1.500000',
      count: '12',
      at: '1970-01-01T00:00:00.000Z',
      tags: ['a'],
      nested: [{ debt: '-0.000001' }],
    });
  });
});

describe('STREAM_KINDS', () => {
  it('has a decider for every stream category the domain names', () => {
    const categories = Object.values(streams).map((name) =>
      streamCategory((name as (...ids: string[]) => string)('x', '2026-01')),
    );
    expect(Object.keys(STREAM_KINDS).sort()).toEqual([...new Set(categories)].sort());
  });
});
