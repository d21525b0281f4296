import { rememberPosition, settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parsePlanForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['name', 'providerPlanId', 'regions', 'baseMonthlyPrice', 'markup', 'backupUpcharge'];

export const load: PageServerLoad = async (event) => ({ plans: await settle(adminApi(event).plans()) });

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const parsed = parsePlanForm(form, 'create');
    if (!parsed.ok) return failWith(parsed);
    try {
      const plan = await adminApi(event).createPlan(parsed.value);
      rememberPosition(event.cookies, event.url, plan.position);
      return { form: 'create', created: { id: plan.id, name: plan.name } };
    } catch (cause) {
      return failFromApi(
        cause,
        'create',
        FIELDS,
        Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? '')])),
      );
    }
  },
};
