import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { billingProfileDecider, type UpdateBillingProfile } from './billing-profile.decider';
import type { BillingProfileUpdated } from './invoice.events';

const spec = DeciderSpecification.for(billingProfileDecider);
const meta = metadataFor('user-1');
const update = (overrides: Partial<UpdateBillingProfile['data']> = {}): UpdateBillingProfile => ({
  type: 'UpdateBillingProfile',
  data: {
    organizationId: 'org-1',
    legalName: ' Acme GmbH ',
    address: 'Hauptstr. 1\r\n\r\n 10115 Berlin ',
    country: 'de',
    taxId: 'de123456789',
    ...overrides,
  },
  metadata: meta,
});
const updated: BillingProfileUpdated = {
  type: 'BillingProfileUpdated',
  data: {
    organizationId: 'org-1',
    legalName: 'Acme GmbH',
    address: 'Hauptstr. 1\n10115 Berlin',
    country: 'DE',
    taxId: 'DE123456789',
  },
};

describe('billing profile', () => {
  describe('none yet', () => {
    it('records the profile, normalized', () => {
      spec.given([]).when(update()).then([updated]);
    });
    it('treats an empty tax id as none', () => {
      spec
        .given([])
        .when(update({ taxId: '' }))
        .then([{ ...updated, data: { ...updated.data, taxId: null } }]);
    });
    it.each([
      [{ legalName: '' }, 'invalid_legal_name'],
      [{ address: '   ' }, 'invalid_address'],
      [{ address: '1\n2\n3\n4\n5\n6\n7' }, 'invalid_address'],
      [{ country: 'Germany' }, 'invalid_country'],
      [{ taxId: '<script>' }, 'invalid_tax_id'],
      [{ taxId: 42 }, 'invalid_tax_id'],
    ])('rejects %p', (overrides, reason) => {
      spec.given([]).when(update(overrides)).thenThrows('validation', reason);
    });
  });

  describe('set', () => {
    it('records nothing for the same profile', () => {
      spec.given([updated]).when(update()).then([]);
    });
    it('records a change', () => {
      spec
        .given([updated])
        .when(update({ legalName: 'Acme AG' }))
        .then([{ ...updated, data: { ...updated.data, legalName: 'Acme AG' } }]);
    });
  });
});
