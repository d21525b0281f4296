import { randomUUID } from 'node:crypto';
import { formatMoney, streams } from '@stratus/domain';
import {
  comparePositions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
} from '@stratus/eventstore';

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be replayed by seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newEvent(type: string, data: object, occurredAt: Date, actorUserId: string): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { userId: actorUserId, role: 'admin' },
      occurredAt: occurredAt.toISOString(),
      schemaVersion: 1,
    },
  };
}

/**
 * Writes a believable history through the real event store: users, organizations with members, and wallets
 * whose money events carry a correct balance after. One stream is never written by two callers at once.
 */
export class LedgerSimulator {
  private readonly balances = new Map<string, bigint>();
  private readonly charges = new Map<string, { chargeId: string; amount: bigint }[]>();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');
  private readonly random: () => number;

  /** Position of the newest event this simulator appended. */
  lastPosition: Position | null = null;
  /** Events appended so far. */
  appended = 0;
  private readonly append: EventStore['appendToStream'];

  constructor(store: EventStore, seed = 1) {
    this.random = seededRandom(seed);
    const track = (result: AppendResult, count: number) => {
      this.appended += count;
      if (!this.lastPosition || comparePositions(result.position, this.lastPosition) > 0)
        this.lastPosition = result.position;
      return result;
    };
    this.append = async (streamId, events, options) =>
      track(await store.appendToStream(streamId, events, options), events.length);
  }

  /**
   * Waits until readers see everything appended so far. PostgreSQL adapter: an event becomes visible once
   * every older transaction on the server has ended, which other suites on a shared server can delay.
   */
  async waitUntilVisible(reader: EventStore, timeoutMs = 60_000): Promise<Position> {
    const target = this.lastPosition;
    if (!target) throw new Error('nothing appended yet');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await reader.headPosition();
      if (head && comparePositions(head, target) >= 0) return head;
      if (Date.now() > deadline)
        throw new Error(`events up to ${target.commit}/${target.prepare} not visible within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private tick(): Date {
    this.clock += 1000 + Math.floor(this.random() * 60_000);
    return new Date(this.clock);
  }

  private micros(maxDollars: number): bigint {
    return BigInt(1 + Math.floor(this.random() * maxDollars * 1_000_000));
  }

  async registerUser(userId: string, role: 'admin' | 'customer' = 'customer'): Promise<void> {
    const email = `${userId}@example.com`;
    await this.append(
      streams.emailClaim(email),
      [newEvent('EmailClaimed', { email, userId }, this.tick(), userId)],
      {
        expectedRevision: 'any',
      },
    );
    await this.append(
      streams.user(userId),
      [
        newEvent(
          'UserRegistered',
          { userId, email, name: `User ${userId}`, passwordHash: 'x', platformRole: role },
          this.tick(),
          userId,
        ),
      ],
      { expectedRevision: 'any' },
    );
  }

  async createOrganization(organizationId: string, ownerId: string, memberIds: string[] = []): Promise<void> {
    const events = [
      newEvent(
        'OrganizationCreated',
        { organizationId, name: `Org ${organizationId}`, createdBy: ownerId },
        this.tick(),
        ownerId,
      ),
      newEvent('MemberAdded', { organizationId, userId: ownerId, role: 'owner' }, this.tick(), ownerId),
      ...memberIds.map((userId) =>
        newEvent('MemberAdded', { organizationId, userId, role: 'member' }, this.tick(), ownerId),
      ),
    ];
    await this.append(streams.organization(organizationId), events, { expectedRevision: 'any' });
    await this.append(
      streams.user(ownerId),
      [newEvent('ActiveOrganizationSelected', { userId: ownerId, organizationId }, this.tick(), ownerId)],
      { expectedRevision: 'any' },
    );
  }

  async changeMembers(
    organizationId: string,
    actorId: string,
    promote: string,
    remove: string,
  ): Promise<void> {
    await this.append(
      streams.organization(organizationId),
      [
        newEvent(
          'MemberRoleChanged',
          { organizationId, userId: promote, role: 'admin', previousRole: 'member' },
          this.tick(),
          actorId,
        ),
        newEvent(
          'MemberRemoved',
          { organizationId, userId: remove, role: 'member', reason: 'removed' },
          this.tick(),
          actorId,
        ),
        newEvent(
          'OrganizationRenamed',
          { organizationId, name: `Renamed ${organizationId}` },
          this.tick(),
          actorId,
        ),
      ],
      { expectedRevision: 'any' },
    );
  }

  /** A custom role given to `memberId`, renamed; an invitation accepted, one revoked, one left pending. */
  async teamChanges(
    organizationId: string,
    actorId: string,
    memberId: string,
    inviteeId: string,
  ): Promise<void> {
    const roleId = `role-${organizationId}`;
    const invitation = (n: number, email: string) =>
      newEvent(
        'InvitationCreated',
        {
          organizationId,
          invitationId: `inv-${organizationId}-${n}`,
          email,
          role: n === 1 ? roleId : 'viewer',
          roleName: n === 1 ? 'Operators' : 'viewer',
          invitedBy: actorId,
          tokenHash: `hash-${n}`,
          sealedToken: `sealed-${n}`,
          expiresAt: new Date(this.tick().getTime() + 7 * 86_400_000).toISOString(),
        },
        this.tick(),
        actorId,
      );
    await this.append(
      streams.organization(organizationId),
      [
        newEvent(
          'CustomRoleCreated',
          { organizationId, roleId, name: 'Ops', permissions: ['vps_view', 'vps_manage'] },
          this.tick(),
          actorId,
        ),
        newEvent(
          'MemberRoleChanged',
          {
            organizationId,
            userId: memberId,
            role: roleId,
            previousRole: 'member',
            permissions: ['vps_view', 'vps_manage'],
          },
          this.tick(),
          actorId,
        ),
        newEvent(
          'CustomRoleUpdated',
          {
            organizationId,
            roleId,
            name: 'Operators',
            permissions: ['vps_view'],
            previousPermissions: ['vps_view', 'vps_manage'],
            holders: [memberId],
          },
          this.tick(),
          actorId,
        ),
        invitation(1, `${inviteeId}@example.com`),
        invitation(2, 'revoked@example.com'),
        invitation(3, 'pending@example.com'),
        newEvent(
          'InvitationAccepted',
          {
            organizationId,
            invitationId: `inv-${organizationId}-1`,
            email: `${inviteeId}@example.com`,
            userId: inviteeId,
          },
          this.tick(),
          inviteeId,
        ),
        newEvent('MemberAdded', { organizationId, userId: inviteeId, role: roleId }, this.tick(), inviteeId),
        newEvent(
          'InvitationRevoked',
          { organizationId, invitationId: `inv-${organizationId}-2`, email: 'revoked@example.com' },
          this.tick(),
          actorId,
        ),
        newEvent(
          'CustomRoleCreated',
          { organizationId, roleId: `${roleId}-gone`, name: 'Gone', permissions: ['notes_view'] },
          this.tick(),
          actorId,
        ),
        newEvent(
          'CustomRoleDeleted',
          { organizationId, roleId: `${roleId}-gone`, name: 'Gone' },
          this.tick(),
          actorId,
        ),
      ],
      { expectedRevision: 'any' },
    );
  }

  async openWallet(organizationId: string, actorId = 'system'): Promise<void> {
    this.balances.set(organizationId, 0n);
    await this.append(
      streams.wallet(organizationId),
      [
        newEvent(
          'WalletOpened',
          { walletId: organizationId, organizationId, currency: 'USD' },
          this.tick(),
          actorId,
        ),
      ],
      { expectedRevision: 'any' },
    );
  }

  /** `count` random money events on one wallet, appended `perAppend` at a time. */
  async moveMoney(organizationId: string, count: number, perAppend = 1, actorId = 'staff-1'): Promise<void> {
    let pending: NewEvent[] = [];
    for (let i = 0; i < count; i++) {
      pending.push(this.moneyEvent(organizationId, actorId));
      if (pending.length >= perAppend || i === count - 1) {
        await this.append(streams.wallet(organizationId), pending, { expectedRevision: 'any' });
        pending = [];
      }
    }
  }

  private moneyEvent(organizationId: string, actorId: string): NewEvent {
    const walletId = organizationId;
    let balance = this.balances.get(organizationId) ?? 0n;
    const charges = this.charges.get(organizationId) ?? [];
    this.charges.set(organizationId, charges);
    const roll = this.random();
    const at = this.tick();
    let event: NewEvent;
    if (roll < 0.35 || balance === 0n) {
      const amount = this.micros(50);
      balance += amount;
      event = newEvent(
        'WalletCredited',
        {
          walletId,
          organizationId,
          amount: formatMoney(amount),
          balanceAfter: formatMoney(balance),
          source: 'staff_credit',
          reason: 'top-up',
          reference: randomUUID(),
        },
        at,
        actorId,
      );
    } else if (roll < 0.75) {
      const amount = this.micros(20);
      const chargeId = `vps-${organizationId}:${at.toISOString()}`;
      if (amount > balance) {
        event = newEvent(
          'WalletChargeFailed',
          {
            walletId,
            organizationId,
            chargeId,
            amount: formatMoney(amount),
            balance: formatMoney(balance),
            reason: 'insufficient_funds',
          },
          at,
          actorId,
        );
      } else {
        balance -= amount;
        charges.push({ chargeId, amount });
        event = newEvent(
          'WalletCharged',
          {
            walletId,
            organizationId,
            chargeId,
            amount: formatMoney(amount),
            balanceAfter: formatMoney(balance),
            description: 'VPS hour',
          },
          at,
          actorId,
        );
      }
    } else if (roll < 0.85 && charges.length > 0) {
      const { chargeId, amount } = charges.splice(Math.floor(this.random() * charges.length), 1)[0];
      balance += amount;
      event = newEvent(
        'WalletChargeRefunded',
        {
          walletId,
          organizationId,
          chargeId,
          amount: formatMoney(amount),
          balanceAfter: formatMoney(balance),
          reason: 'outage',
        },
        at,
        actorId,
      );
    } else {
      const magnitude = this.micros(1);
      const amount = this.random() < 0.5 && magnitude <= balance ? -magnitude : magnitude;
      balance += amount;
      event = newEvent(
        'WalletAdjusted',
        {
          walletId,
          organizationId,
          amount: formatMoney(amount),
          balanceAfter: formatMoney(balance),
          reason: 'correction',
        },
        at,
        actorId,
      );
    }
    this.balances.set(organizationId, balance);
    return event;
  }
}
