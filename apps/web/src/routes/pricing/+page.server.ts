import type { PageServerLoad } from './$types';
import { settle } from '$lib/server/api';

export const load: PageServerLoad = async ({ locals }) => {
  return { plans: await settle(locals.api.plans()) };
};
