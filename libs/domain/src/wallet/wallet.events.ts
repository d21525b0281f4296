import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';

/**
 * Stream `wallet-<organizationId>`. Amounts are decimal strings of USD ("12.345678", 6 decimals max);
 * every event that moves money carries the balance after it, so balance == sum of the events.
 */
export type WalletOpened = DomainEvent<
  'WalletOpened',
  { walletId: string; organizationId: string; currency: 'USD' }
>;
/** Money in: staff credit now, payments later. */
export type WalletCredited = DomainEvent<
  'WalletCredited',
  {
    walletId: string;
    organizationId: string;
    amount: MoneyString;
    balanceAfter: MoneyString;
    source: 'staff_credit' | 'payment';
    reason: string;
    /** Caller-supplied idempotency reference (a payment's capture id, a request key). */
    reference?: string;
    /** The payment of a `payment` credit (absent on credits recorded before it was carried). */
    paymentId?: string;
  }
>;
/** Money out for a service period. `chargeId` is deterministic (e.g. "vps-<id>:<period>"). */
export type WalletCharged = DomainEvent<
  'WalletCharged',
  {
    walletId: string;
    organizationId: string;
    chargeId: string;
    amount: MoneyString;
    balanceAfter: MoneyString;
    description: string;
    /** What was charged for, e.g. { vpsId, periodStart, periodEnd }. */
    subject?: Record<string, string>;
  }
>;
/** A charge that could not be paid; records the attempt, moves no money. */
export type WalletChargeFailed = DomainEvent<
  'WalletChargeFailed',
  {
    walletId: string;
    organizationId: string;
    chargeId: string;
    amount: MoneyString;
    balance: MoneyString;
    reason: 'insufficient_funds';
    subject?: Record<string, string>;
  }
>;
export type WalletChargeRefunded = DomainEvent<
  'WalletChargeRefunded',
  {
    walletId: string;
    organizationId: string;
    chargeId: string;
    amount: MoneyString;
    balanceAfter: MoneyString;
    reason: string;
  }
>;
/** A signed correction by staff (never an edit), referencing what it corrects. */
export type WalletAdjusted = DomainEvent<
  'WalletAdjusted',
  {
    walletId: string;
    organizationId: string;
    amount: MoneyString; // signed
    balanceAfter: MoneyString;
    reason: string;
    reference?: string;
    /** What it corrects, e.g. { chargeId, vpsId, reconciliationId, lineId }: reconciliation nets it against the charge. */
    subject?: Record<string, string>;
  }
>;

/**
 * A server now counts in the organization's hourly burn at `hourlyPrice` (recorded by create-vps before its
 * VpsRequested, and again at the new price when a resize or backups toggle changed it): what later creates must
 * cover. Moves no money.
 */
export type WalletBurnReserved = DomainEvent<
  'WalletBurnReserved',
  {
    walletId: string;
    organizationId: string;
    vpsId: string;
    hourlyPrice: MoneyString;
    /** The organization's reserved hourly burn with this server. */
    hourlyBurnAfter: MoneyString;
  }
>;
/** A server no longer counts in the burn (deleted, or provisioning failed). Moves no money. */
export type WalletBurnReleased = DomainEvent<
  'WalletBurnReleased',
  {
    walletId: string;
    organizationId: string;
    vpsId: string;
    hourlyPrice: MoneyString;
    hourlyBurnAfter: MoneyString;
  }
>;

/**
 * A charge the wallet could not pay when its service ended (a deleted server's unpaid periods and final charge),
 * kept as the organization's outstanding debt. Moves no money (the balance never goes below zero for it): the
 * next credit collects it with a WalletCharged under the same `chargeId` (subject.debtCollected = 'true').
 */
export type WalletDebtRecorded = DomainEvent<
  'WalletDebtRecorded',
  {
    walletId: string;
    organizationId: string;
    chargeId: string;
    amount: MoneyString;
    balance: MoneyString;
    description: string;
    subject?: Record<string, string>;
  }
>;

export type WalletEvent =
  | WalletOpened
  | WalletCredited
  | WalletCharged
  | WalletChargeFailed
  | WalletChargeRefunded
  | WalletAdjusted
  | WalletBurnReserved
  | WalletBurnReleased
  | WalletDebtRecorded;
