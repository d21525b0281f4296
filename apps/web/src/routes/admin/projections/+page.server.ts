import { settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi } from '$lib/server/actions';
import { text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  projections: await settle(adminApi(event).projections()),
});

export const actions: Actions = {
  rebuild: async (event) => {
    const form = await event.request.formData();
    const name = text(form, 'name');
    const reason = text(form, 'reason').slice(0, 500);
    try {
      const answer = await adminApi(event).rebuildProjection(name, reason || undefined);
      return { form: 'rebuild', started: { name: answer.projection ?? name } };
    } catch (cause) {
      return failFromApi(cause, 'rebuild', [], { name, reason });
    }
  },
};
