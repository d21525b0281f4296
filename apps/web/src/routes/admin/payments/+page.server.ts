import { settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import type { PaymentFilter } from '$lib/server/admin-api';
import { PAYMENT_PROVIDERS } from '$lib/server/api-client';
import { paymentDtoStatusValues } from '$lib/server/api-types.gen';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every organization's payments; the filters are the API's (status, provider, organization). */
export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const status = params.get('status') ?? '';
  const provider = params.get('provider') ?? '';
  const organizationId = params.get('organizationId')?.trim() ?? '';
  const cursor = params.get('cursor');
  const filter: PaymentFilter = {};
  if ((paymentDtoStatusValues as readonly string[]).includes(status))
    filter.status = status as PaymentFilter['status'];
  if ((PAYMENT_PROVIDERS as readonly string[]).includes(provider))
    filter.provider = provider as PaymentFilter['provider'];
  const badOrganization = organizationId !== '' && !UUID.test(organizationId);
  if (organizationId && !badOrganization) filter.organizationId = organizationId.toLowerCase();
  const payments = await settle(adminApi(event).payments(filter, { cursor, limit: 50 }));
  return {
    payments,
    filter: { status, provider, organizationId },
    badOrganization,
    cursor,
    statuses: paymentDtoStatusValues,
  };
};
