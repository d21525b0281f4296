import type { PageServerLoad } from './$types';
import { fetchApiHealth } from '$lib/server/api';

export const load: PageServerLoad = async () => {
  // The landing page says whether the service is up; it never fails because the API is down.
  const health = await fetchApiHealth(fetch, 2000);
  return { apiUp: health.reachable && health.ok };
};
