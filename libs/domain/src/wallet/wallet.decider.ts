import { formatMoney, MAX_MONEY_MICROS, money, type MoneyString } from '../money/money';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { WalletCharged, WalletCredited, WalletEvent } from './wallet.events';

export const MAX_WALLET_TEXT_LENGTH = 500;
export const MAX_WALLET_REFERENCE_LENGTH = 200;
export const MAX_CHARGE_SUBJECT_ENTRIES = 20;

export type WalletCreditSource = WalletCredited['data']['source'];
export const WALLET_CREDIT_SOURCES: readonly WalletCreditSource[] = ['staff_credit', 'payment'];

/** Stream `wallet-<organizationId>`. Opening again with the same ids records nothing. */
export type OpenWallet = Command<'OpenWallet', { walletId: string; organizationId: string }>;
/**
 * Money in. `amount` > 0 micros. The credit also collects the outstanding debts it can pay, oldest first (a
 * WalletCharged per debt under the debt's charge id), stopping at the first one the balance cannot pay.
 */
export type CreditWallet = Command<
  'CreditWallet',
  {
    amount: bigint;
    source: WalletCreditSource;
    reason: string;
    reference?: string;
    /** The payment a `payment` credit is for (the reconciliation reads that payment's stream by it). */
    paymentId?: string;
  }
>;
/**
 * Money out for a service period. When the balance cannot pay, records WalletChargeFailed (the billing
 * workflow needs the record), or with `rejectIfInsufficient` throws DomainError('insufficient_funds') instead.
 * Idempotency of a chargeId comes from deterministic event ids at the store, not from this state.
 */
export type ChargeWallet = Command<
  'ChargeWallet',
  {
    chargeId: string;
    amount: bigint;
    description: string;
    subject?: Record<string, string>;
    rejectIfInsufficient?: boolean;
  }
>;
/** Money back for (part of) a charge. The wallet keeps no charge history (O(1) state): the caller checks the charge. */
export type RefundCharge = Command<'RefundCharge', { chargeId: string; amount: bigint; reason: string }>;
/** Signed staff correction (amount != 0); may take the balance below zero (recorded debt). */
export type AdjustWallet = Command<
  'AdjustWallet',
  {
    amount: bigint;
    reason: string;
    reference?: string;
    /** What the correction is for (e.g. { chargeId, vpsId, reconciliationId, lineId }); optional, as before. */
    subject?: Record<string, string>;
  }
>;
/**
 * A new server joins the organization's hourly burn, if the balance covers its first hour plus
 * `minBalanceHours` hours of the burn of all the organization's servers with it (else
 * DomainError('insufficient_funds')). Decided on the wallet stream, so concurrent creates serialize on it
 * and cannot all pass. Reserving a server again records nothing.
 */
export type ReserveBurn = Command<
  'ReserveBurn',
  { vpsId: string; hourlyPrice: bigint; minBalanceHours: number }
>;
/** Idempotency keys of a server's ReserveBurn (create-vps) and ReleaseBurn (its deletion or failure). */
export const walletBurnReservedKey = (vpsId: string): string => `wallet-burn-reserved:${vpsId}`;
export const walletBurnReleasedKey = (vpsId: string): string => `wallet-burn-released:${vpsId}`;

/** The server leaves the burn (deleted, provisioning failed); nothing when it was not reserved. */
export type ReleaseBurn = Command<'ReleaseBurn', { vpsId: string }>;
/**
 * A server in the burn now costs `hourlyPrice` (a resize or a backups toggle completed): WalletBurnReserved again
 * at the new price, so later creates count it. Not a guard: the change is made (billing suspends a wallet that
 * cannot pay). Nothing when the server is not in the burn or already at that price.
 */
export type RepriceBurn = Command<'RepriceBurn', { vpsId: string; hourlyPrice: bigint }>;
/**
 * A charge that stays owed after its service ended (a deleted server's unpaid periods and final charge): when the
 * balance can pay it now it is charged (WalletCharged), else recorded as outstanding debt (WalletDebtRecorded),
 * collected by the next credit. Recording a debt already outstanding records nothing.
 */
export type RecordDebt = Command<
  'RecordDebt',
  { chargeId: string; amount: bigint; description: string; subject?: Record<string, string> }
>;
export type WalletCommand =
  | OpenWallet
  | CreditWallet
  | ChargeWallet
  | RefundCharge
  | AdjustWallet
  | ReserveBurn
  | ReleaseBurn
  | RepriceBurn
  | RecordDebt;

/** An outstanding debt: what its collection charges, under the charge id it was owed as. */
export interface OutstandingDebt {
  chargeId: string;
  amount: bigint;
  description: string;
  subject?: Record<string, string>;
}

/**
 * O(1) whatever the history: no set of seen charges, so snapshots stay tiny and decisions stay constant-time.
 * `burn` holds the hourly price of each live server (bounded by the servers alive, not by history); `debts` the
 * outstanding debts, oldest first (charges left unpaid by deleted servers, not collected yet; usually none).
 */
export type WalletState =
  | { status: 'none' }
  | {
      status: 'open';
      walletId: string;
      organizationId: string;
      currency: 'USD';
      balance: bigint;
      burn: Readonly<Record<string, bigint>>;
      debts: readonly OutstandingDebt[];
    };
export type OpenWalletState = Extract<WalletState, { status: 'open' }>;

// ---- validation ----

function invalidAmount(amount: unknown, problem: string): DomainError {
  return new DomainError('validation', 'invalid_amount', `amount ${problem}`, {
    field: 'amount',
    value: typeof amount === 'bigint' ? formatMoney(amount) : typeof amount,
  });
}

/** bigint micros; positive unless `signed` (then non-zero); |amount| <= MAX_MONEY_MICROS. */
function requireAmount(amount: unknown, signed: boolean): bigint {
  if (typeof amount !== 'bigint') throw invalidAmount(amount, 'must be a bigint number of micro-dollars');
  if (amount === 0n) throw invalidAmount(amount, 'must not be zero');
  if (amount < 0n && !signed) throw invalidAmount(amount, 'must be positive');
  const magnitude = amount < 0n ? -amount : amount;
  if (magnitude > MAX_MONEY_MICROS) {
    throw invalidAmount(amount, `must not exceed ${formatMoney(MAX_MONEY_MICROS)} in absolute value`);
  }
  return amount;
}

function optionalReference(reference: unknown): { reference?: string } {
  if (reference === undefined) return {};
  if (
    typeof reference !== 'string' ||
    reference.trim().length === 0 ||
    reference.length > MAX_WALLET_REFERENCE_LENGTH
  ) {
    throw new DomainError(
      'validation',
      'invalid_reference',
      `reference must be 1 to ${MAX_WALLET_REFERENCE_LENGTH} characters when given`,
      { field: 'reference' },
    );
  }
  return { reference };
}

function optionalSubject(subject: unknown): { subject?: Record<string, string> } {
  if (subject === undefined) return {};
  const valid =
    typeof subject === 'object' &&
    subject !== null &&
    !Array.isArray(subject) &&
    Object.keys(subject).length <= MAX_CHARGE_SUBJECT_ENTRIES &&
    Object.values(subject).every((value) => typeof value === 'string');
  if (!valid) {
    throw new DomainError(
      'validation',
      'invalid_subject',
      `subject must be an object of at most ${MAX_CHARGE_SUBJECT_ENTRIES} string values`,
      { field: 'subject' },
    );
  }
  return { subject: { ...(subject as Record<string, string>) } };
}

function optionalPaymentId(paymentId: unknown, source: WalletCreditSource): { paymentId?: string } {
  if (paymentId === undefined) return {};
  if (source !== 'payment') {
    throw new DomainError('validation', 'invalid_payment_id', 'Only a payment credit names a payment', {
      field: 'paymentId',
    });
  }
  return { paymentId: requireId(paymentId, 'paymentId') };
}

function requireSource(source: unknown): WalletCreditSource {
  if (typeof source !== 'string' || !(WALLET_CREDIT_SOURCES as readonly string[]).includes(source)) {
    throw new DomainError(
      'validation',
      'invalid_source',
      `source must be one of ${WALLET_CREDIT_SOURCES.join(', ')}`,
      {
        field: 'source',
      },
    );
  }
  return source as WalletCreditSource;
}

function requireOpen(state: WalletState): OpenWalletState {
  switch (state.status) {
    case 'open':
      return state;
    case 'none':
      throw new DomainError('not_found', 'wallet_not_found', 'Wallet not found');
    default:
      return assertNever(state);
  }
}

// ---- decider ----

export function initialWalletState(): WalletState {
  return { status: 'none' };
}

export function decideWallet(command: WalletCommand, state: WalletState): WalletEvent[] {
  switch (command.type) {
    case 'OpenWallet': {
      const walletId = requireId(command.data.walletId, 'walletId');
      const organizationId = requireId(command.data.organizationId, 'organizationId');
      if (state.status === 'open') {
        if (state.walletId === walletId && state.organizationId === organizationId) return [];
        throw new DomainError('conflict', 'wallet_already_open', 'This organization already has a wallet', {
          walletId: state.walletId,
        });
      }
      return [{ type: 'WalletOpened', data: { walletId, organizationId, currency: 'USD' } }];
    }
    case 'CreditWallet': {
      const wallet = requireOpen(state);
      const amount = requireAmount(command.data.amount, false);
      const source = requireSource(command.data.source);
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_WALLET_TEXT_LENGTH);
      const reference = optionalReference(command.data.reference);
      const paymentId = optionalPaymentId(command.data.paymentId, source);
      const balanceAfter = wallet.balance + amount;
      return [
        {
          type: 'WalletCredited',
          data: {
            walletId: wallet.walletId,
            organizationId: wallet.organizationId,
            amount: formatMoney(amount),
            balanceAfter: formatMoney(balanceAfter),
            source,
            reason,
            ...reference,
            ...paymentId,
          },
        },
        ...debtCollections(wallet, balanceAfter),
      ];
    }
    case 'ChargeWallet': {
      const wallet = requireOpen(state);
      const chargeId = requireId(command.data.chargeId, 'chargeId');
      const amount = requireAmount(command.data.amount, false);
      const description = requireText(
        command.data.description,
        'description',
        'invalid_description',
        MAX_WALLET_TEXT_LENGTH,
      );
      const subject = optionalSubject(command.data.subject);
      if (wallet.balance < amount) {
        if (command.data.rejectIfInsufficient === true) {
          throw new DomainError(
            'insufficient_funds',
            'insufficient_funds',
            'The wallet balance cannot pay this charge',
            {
              chargeId,
              amount: formatMoney(amount),
              balance: formatMoney(wallet.balance),
            },
          );
        }
        return [
          {
            type: 'WalletChargeFailed',
            data: {
              walletId: wallet.walletId,
              organizationId: wallet.organizationId,
              chargeId,
              amount: formatMoney(amount),
              balance: formatMoney(wallet.balance),
              reason: 'insufficient_funds',
              ...subject,
            },
          },
        ];
      }
      return [
        {
          type: 'WalletCharged',
          data: {
            walletId: wallet.walletId,
            organizationId: wallet.organizationId,
            chargeId,
            amount: formatMoney(amount),
            balanceAfter: formatMoney(wallet.balance - amount),
            description,
            ...subject,
          },
        },
      ];
    }
    case 'RefundCharge': {
      const wallet = requireOpen(state);
      const chargeId = requireId(command.data.chargeId, 'chargeId');
      const amount = requireAmount(command.data.amount, false);
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_WALLET_TEXT_LENGTH);
      return [
        {
          type: 'WalletChargeRefunded',
          data: {
            walletId: wallet.walletId,
            organizationId: wallet.organizationId,
            chargeId,
            amount: formatMoney(amount),
            balanceAfter: formatMoney(wallet.balance + amount),
            reason,
          },
        },
      ];
    }
    case 'AdjustWallet': {
      const wallet = requireOpen(state);
      const amount = requireAmount(command.data.amount, true);
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_WALLET_TEXT_LENGTH);
      const reference = optionalReference(command.data.reference);
      const subject = optionalSubject(command.data.subject);
      return [
        {
          type: 'WalletAdjusted',
          data: {
            walletId: wallet.walletId,
            organizationId: wallet.organizationId,
            amount: formatMoney(amount),
            balanceAfter: formatMoney(wallet.balance + amount),
            reason,
            ...reference,
            ...subject,
          },
        },
      ];
    }
    case 'ReserveBurn': {
      const vpsId = requireId(command.data.vpsId, 'vpsId');
      const hourlyPrice = requireAmount(command.data.hourlyPrice, false);
      const hours = command.data.minBalanceHours;
      if (!Number.isSafeInteger(hours) || hours < 0) {
        throw new DomainError('validation', 'invalid_min_balance_hours', 'minBalanceHours must be >= 0', {
          field: 'minBalanceHours',
        });
      }
      if (state.status === 'open' && state.burn[vpsId] !== undefined) return [];
      const burnAfter = hourlyBurnOf(state) + hourlyPrice;
      const required = hourlyPrice + BigInt(hours) * burnAfter;
      const available = state.status === 'open' ? state.balance : 0n;
      if (state.status !== 'open' || available < required) {
        throw new DomainError(
          'insufficient_funds',
          'insufficient_funds',
          `Creating this server needs a balance of ${formatMoney(required)}: its first hour plus ${hours} ` +
            `hours of the hourly burn of all the organization's servers with it (${formatMoney(burnAfter)}/h); ` +
            `the wallet has ${formatMoney(available)}`,
          {
            required: formatMoney(required),
            available: formatMoney(available),
            hourlyPrice: formatMoney(hourlyPrice),
            hourlyBurn: formatMoney(burnAfter),
            minBalanceHours: hours,
          },
        );
      }
      return [
        {
          type: 'WalletBurnReserved',
          data: {
            walletId: state.walletId,
            organizationId: state.organizationId,
            vpsId,
            hourlyPrice: formatMoney(hourlyPrice),
            hourlyBurnAfter: formatMoney(burnAfter),
          },
        },
      ];
    }
    case 'ReleaseBurn': {
      const vpsId = requireId(command.data.vpsId, 'vpsId');
      if (state.status !== 'open') return [];
      const hourlyPrice = state.burn[vpsId];
      if (hourlyPrice === undefined) return [];
      return [
        {
          type: 'WalletBurnReleased',
          data: {
            walletId: state.walletId,
            organizationId: state.organizationId,
            vpsId,
            hourlyPrice: formatMoney(hourlyPrice),
            hourlyBurnAfter: formatMoney(hourlyBurnOf(state) - hourlyPrice),
          },
        },
      ];
    }
    case 'RepriceBurn': {
      const vpsId = requireId(command.data.vpsId, 'vpsId');
      const hourlyPrice = requireAmount(command.data.hourlyPrice, false);
      if (state.status !== 'open') return [];
      const current = state.burn[vpsId];
      if (current === undefined || current === hourlyPrice) return [];
      return [
        {
          type: 'WalletBurnReserved',
          data: {
            walletId: state.walletId,
            organizationId: state.organizationId,
            vpsId,
            hourlyPrice: formatMoney(hourlyPrice),
            hourlyBurnAfter: formatMoney(hourlyBurnOf(state) - current + hourlyPrice),
          },
        },
      ];
    }
    case 'RecordDebt': {
      const wallet = requireOpen(state);
      const chargeId = requireId(command.data.chargeId, 'chargeId');
      const amount = requireAmount(command.data.amount, false);
      const description = requireText(
        command.data.description,
        'description',
        'invalid_description',
        MAX_WALLET_TEXT_LENGTH,
      );
      const subject = optionalSubject(command.data.subject);
      if (wallet.debts.some((debt) => debt.chargeId === chargeId)) return [];
      const ids = { walletId: wallet.walletId, organizationId: wallet.organizationId, chargeId };
      if (wallet.balance >= amount) {
        // Credited since the charge failed (that credit had no debt to collect yet): paid now.
        return [
          {
            type: 'WalletCharged',
            data: {
              ...ids,
              amount: formatMoney(amount),
              balanceAfter: formatMoney(wallet.balance - amount),
              description,
              ...subject,
            },
          },
        ];
      }
      return [
        {
          type: 'WalletDebtRecorded',
          data: {
            ...ids,
            amount: formatMoney(amount),
            balance: formatMoney(wallet.balance),
            description,
            ...subject,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

/**
 * The key of a charge's WalletCharged event id (deterministicEventId of it): one per charge id, whichever path
 * records it (a period charge, a debt charged at once, a credit collecting the debt), so it is stored once.
 */
export function walletChargedEventKey(chargeId: string): string {
  return `wallet-charge:${chargeId}`;
}

/** Marks a charge that collected an outstanding debt (in its subject; the charge id is the debt's). */
export const DEBT_COLLECTED_SUBJECT_KEY = 'debtCollected';

/** The charges a credit leaving `balance` makes for the outstanding debts: oldest first, while the balance pays them. */
function debtCollections(wallet: OpenWalletState, balance: bigint): WalletCharged[] {
  const charges: WalletCharged[] = [];
  let left = balance;
  for (const debt of wallet.debts) {
    if (left < debt.amount) break; // oldest first: a younger debt never jumps the queue
    left -= debt.amount;
    charges.push({
      type: 'WalletCharged',
      data: {
        walletId: wallet.walletId,
        organizationId: wallet.organizationId,
        chargeId: debt.chargeId,
        amount: formatMoney(debt.amount),
        balanceAfter: formatMoney(left),
        description: `Debt collected: ${debt.description}`.slice(0, MAX_WALLET_TEXT_LENGTH),
        subject: { ...debt.subject, [DEBT_COLLECTED_SUBJECT_KEY]: 'true' },
      },
    });
  }
  return charges;
}

/** Sum of the outstanding debts (0 for a wallet in good standing or none). */
export function outstandingDebtOf(state: WalletState): bigint {
  return state.status === 'open' ? state.debts.reduce((sum, debt) => sum + debt.amount, 0n) : 0n;
}

/** The reserved hourly burn of the organization's live servers. */
export function hourlyBurnOf(state: WalletState): bigint {
  if (state.status !== 'open') return 0n;
  let total = 0n;
  for (const price of Object.values(state.burn)) total += price;
  return total;
}

/** The signed amount an event moves: credits +, charges -, refunds +, adjustments as signed, the rest 0. */
export function ledgerAmountOf(event: WalletEvent): bigint {
  switch (event.type) {
    case 'WalletOpened':
    case 'WalletChargeFailed':
    case 'WalletBurnReserved':
    case 'WalletBurnReleased':
    case 'WalletDebtRecorded':
      return 0n;
    case 'WalletCredited':
    case 'WalletChargeRefunded':
    case 'WalletAdjusted':
      return money(event.data.amount);
    case 'WalletCharged':
      return -money(event.data.amount);
    default:
      return assertNever(event);
  }
}

/**
 * Balance as the plain sum of the events: the ledger invariant is state.balance === walletBalanceOf(events).
 * A debt is not on the ledger (WalletDebtRecorded moves 0): the balance never goes below zero for it, and its
 * collection is an ordinary WalletCharged. Outstanding debt = recorded debts − their collections.
 */
export function walletBalanceOf(events: Iterable<WalletEvent>): bigint {
  let balance = 0n;
  for (const event of events) balance += ledgerAmountOf(event);
  return balance;
}

export function evolveWallet(state: WalletState, event: WalletEvent): WalletState {
  switch (event.type) {
    case 'WalletOpened':
      return {
        status: 'open',
        walletId: event.data.walletId,
        organizationId: event.data.organizationId,
        currency: 'USD',
        balance: 0n,
        burn: {},
        debts: [],
      };
    case 'WalletBurnReserved':
      return state.status === 'open'
        ? { ...state, burn: { ...state.burn, [event.data.vpsId]: money(event.data.hourlyPrice) } }
        : state;
    case 'WalletBurnReleased': {
      if (state.status !== 'open') return state;
      const { [event.data.vpsId]: _released, ...burn } = state.burn;
      return { ...state, burn };
    }
    case 'WalletDebtRecorded': {
      if (state.status !== 'open' || state.debts.some((d) => d.chargeId === event.data.chargeId))
        return state;
      const { chargeId, amount, description, subject } = event.data;
      const debt: OutstandingDebt = {
        chargeId,
        amount: money(amount),
        description,
        ...(subject ? { subject } : {}),
      };
      return { ...state, debts: [...state.debts, debt] };
    }
    case 'WalletCharged':
      // A charge under a debt's charge id (its collection) pays that debt.
      return state.status === 'open'
        ? {
            ...state,
            balance: state.balance + ledgerAmountOf(event),
            debts: state.debts.some((d) => d.chargeId === event.data.chargeId)
              ? state.debts.filter((d) => d.chargeId !== event.data.chargeId)
              : state.debts,
          }
        : state;
    case 'WalletCredited':
    case 'WalletChargeFailed':
    case 'WalletChargeRefunded':
    case 'WalletAdjusted':
      // The balance is the sum of the amounts (balanceAfter is what the decision saw; tests prove they agree).
      return state.status === 'open' ? { ...state, balance: state.balance + ledgerAmountOf(event) } : state;
    default:
      return assertNever(event);
  }
}

export const walletDecider: Decider<WalletState, WalletCommand, WalletEvent> = {
  decide: decideWallet,
  evolve: evolveWallet,
  initialState: initialWalletState,
};

// ---- snapshots ----

/** Bump when the snapshot shape changes; a snapshot of another version is refused (rebuild from the stream). */
export const WALLET_SNAPSHOT_SCHEMA_VERSION = 3 as const;

export interface WalletStateSnapshot {
  schemaVersion: typeof WALLET_SNAPSHOT_SCHEMA_VERSION;
  state:
    | { status: 'none' }
    | {
        status: 'open';
        walletId: string;
        organizationId: string;
        currency: 'USD';
        balance: MoneyString;
        burn: Record<string, MoneyString>;
        debts: {
          chargeId: string;
          amount: MoneyString;
          description: string;
          subject?: Record<string, string>;
        }[];
      };
}

/** JSON-safe form of the state (bigint balance as a money string). */
export function walletStateToSnapshot(state: WalletState): WalletStateSnapshot {
  switch (state.status) {
    case 'none':
      return { schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION, state: { status: 'none' } };
    case 'open':
      return {
        schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
        state: {
          status: 'open',
          walletId: state.walletId,
          organizationId: state.organizationId,
          currency: state.currency,
          balance: formatMoney(state.balance),
          burn: Object.fromEntries(
            Object.entries(state.burn).map(([vpsId, price]) => [vpsId, formatMoney(price)]),
          ),
          debts: state.debts.map((debt) => ({ ...debt, amount: formatMoney(debt.amount) })),
        },
      };
    default:
      return assertNever(state);
  }
}

/**
 * Inverse of walletStateToSnapshot; accepts the object or its JSON text. Throws a plain Error on an
 * unknown schema version or a malformed snapshot: the caller should then fold the whole stream instead.
 */
export function walletStateFromSnapshot(json: unknown): WalletState {
  const snapshot: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  const fail = (problem: string): never => {
    throw new Error(`Invalid wallet snapshot: ${problem}`);
  };
  if (typeof snapshot !== 'object' || snapshot === null) return fail('not an object');
  const { schemaVersion, state } = snapshot as { schemaVersion?: unknown; state?: unknown };
  if (schemaVersion !== WALLET_SNAPSHOT_SCHEMA_VERSION)
    return fail(`unsupported schemaVersion ${String(schemaVersion)}`);
  if (typeof state !== 'object' || state === null) return fail('no state');
  const s = state as Record<string, unknown>;
  if (s.status === 'none') return { status: 'none' };
  if (s.status !== 'open') return fail(`unknown status ${String(s.status)}`);
  if (typeof s.walletId !== 'string' || s.walletId === '') return fail('walletId');
  if (typeof s.organizationId !== 'string' || s.organizationId === '') return fail('organizationId');
  if (s.currency !== 'USD') return fail('currency');
  if (typeof s.balance !== 'string') return fail('balance');
  if (typeof s.burn !== 'object' || s.burn === null || Array.isArray(s.burn)) return fail('burn');
  const burn: Record<string, bigint> = {};
  for (const [vpsId, price] of Object.entries(s.burn)) {
    if (typeof price !== 'string') return fail(`burn of ${vpsId}`);
    burn[vpsId] = money(price);
  }
  if (!Array.isArray(s.debts)) return fail('debts');
  const debts = (s.debts as unknown[]).map((value): OutstandingDebt => {
    const d = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof d.chargeId !== 'string' || typeof d.amount !== 'string' || typeof d.description !== 'string')
      return fail('debt');
    const subject =
      typeof d.subject === 'object' && d.subject !== null
        ? { subject: d.subject as Record<string, string> }
        : {};
    return { chargeId: d.chargeId, amount: money(d.amount), description: d.description, ...subject };
  });
  return {
    status: 'open',
    walletId: s.walletId,
    organizationId: s.organizationId,
    currency: 'USD',
    balance: money(s.balance),
    burn,
    debts,
  };
}
