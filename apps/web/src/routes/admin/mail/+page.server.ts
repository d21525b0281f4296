import { settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  outbox: await settle(adminApi(event).mailOutbox()),
});
