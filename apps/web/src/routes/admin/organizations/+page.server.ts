import { settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  return { q, result: await settle(adminApi(event).organizations(q)) };
};
