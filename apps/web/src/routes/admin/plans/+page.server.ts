import { rememberPosition, settle } from '$lib/server/api';
import { adminApi, failFromApi, failWith } from '$lib/admin/admin.server';
import { parsePlanForm } from '$lib/admin/forms';
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
