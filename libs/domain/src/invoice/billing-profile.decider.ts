import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { BillingProfile, BillingProfileUpdated } from './invoice.events';
import { parseCountryCode } from './tax';

const TAX_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 .\-/]{0,39}$/;

/** Stream `billingprofile-<organizationId>`: replace the profile (the same profile again records nothing). */
export type UpdateBillingProfile = Command<
  'UpdateBillingProfile',
  { organizationId: string; legalName: unknown; address: unknown; country: unknown; taxId: unknown }
>;

export type BillingProfileState =
  { status: 'none' } | { status: 'set'; organizationId: string; profile: BillingProfile };

/** Checks and normalizes a profile as typed (trimmed text, upper-case country, empty tax id = none). */
export function parseBillingProfile(input: {
  legalName: unknown;
  address: unknown;
  country: unknown;
  taxId: unknown;
}): BillingProfile {
  const legalName = requireText(input.legalName, 'legalName', 'invalid_legal_name', 200);
  const address = requireText(input.address, 'address', 'invalid_address', 500)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join('\n');
  if (address.split('\n').length > 6) {
    throw new DomainError('validation', 'invalid_address', 'address must have at most 6 lines', {
      field: 'address',
    });
  }
  const country = parseCountryCode(input.country);
  let taxId: string | null = null;
  if (input.taxId !== null && input.taxId !== undefined && input.taxId !== '') {
    if (typeof input.taxId !== 'string' || !TAX_ID_PATTERN.test(input.taxId.trim())) {
      throw new DomainError(
        'validation',
        'invalid_tax_id',
        'taxId must be 1 to 40 letters, digits, spaces, dots, dashes or slashes',
        { field: 'taxId' },
      );
    }
    taxId = input.taxId.trim().toUpperCase();
  }
  return { legalName, address, country, taxId };
}

function sameProfile(a: BillingProfile, b: BillingProfile): boolean {
  return (
    a.legalName === b.legalName && a.address === b.address && a.country === b.country && a.taxId === b.taxId
  );
}

export const billingProfileDecider: Decider<
  BillingProfileState,
  UpdateBillingProfile,
  BillingProfileUpdated
> = {
  initialState: () => ({ status: 'none' }),
  evolve: (_state, event) => {
    const { organizationId, ...profile } = event.data;
    return { status: 'set', organizationId, profile };
  },
  decide(command, state) {
    const organizationId = requireId(command.data.organizationId, 'organizationId');
    const profile = parseBillingProfile(command.data);
    switch (state.status) {
      case 'set':
        if (sameProfile(state.profile, profile)) return [];
        break;
      case 'none':
        break;
      default:
        return assertNever(state);
    }
    return [{ type: 'BillingProfileUpdated', data: { organizationId, ...profile } }];
  },
};

/** The profile in a folded state, or null. */
export function billingProfileOf(state: BillingProfileState): BillingProfile | null {
  switch (state.status) {
    case 'none':
      return null;
    case 'set':
      return state.profile;
    default:
      return assertNever(state);
  }
}
