import { loadOrFail } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const after = event.url.searchParams.get('after') ?? undefined;
  return {
    correlation: await loadOrFail(
      adminApi(event).correlation(event.params.correlationId, { after, limit: 200 }),
    ),
  };
};
