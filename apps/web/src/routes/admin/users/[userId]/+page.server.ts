import { loadOrFail } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  user: await loadOrFail(adminApi(event).user(event.params.userId)),
});
