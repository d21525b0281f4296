import type { PageServerLoad } from './$types';
import { apiUrl, fetchApiHealth } from '$lib/server/api';

export const load: PageServerLoad = async () => {
  // Plain global fetch: the API is another origin, and SvelteKit's fetch would add nothing here.
  const health = await fetchApiHealth();
  return { health, apiUrl: apiUrl(), checkedAt: new Date().toISOString() };
};
