import { requirePlatformAdmin } from '$lib/server/api';
import type { LayoutServerLoad } from './$types';

/** The staff area exists for platform admins only: anonymous visitors log in first, customers get a 404. */
export const load: LayoutServerLoad = async (event) => {
  const staff = requirePlatformAdmin(event);
  return { staff: { id: staff.id, email: staff.email, name: staff.name } };
};
