import { error } from '@sveltejs/kit';
import { loadOrFail, rememberPosition } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parsePlanForm, planChanges } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const FIELDS = ['name', 'providerPlanId', 'regions', 'baseMonthlyPrice', 'markup', 'backupUpcharge'];

export const load: PageServerLoad = async (event) => {
  const plans = await loadOrFail(adminApi(event).plans());
  const plan = plans.find((p) => p.id === event.params.planId);
  if (!plan) error(404, 'Plan not found');
  return { plan };
};

export const actions: Actions = {
  update: async (event) => {
    const form = await event.request.formData();
    const parsed = parsePlanForm(form, 'update');
    if (!parsed.ok) return failWith(parsed);
    const api = adminApi(event);
    const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? '')]));
    try {
      const current = (await api.plans()).find((p) => p.id === event.params.planId);
      if (!current) error(404, 'Plan not found');
      const { active: _active, ...changes } = planChanges(current, parsed.value);
      if (Object.keys(changes).length === 0) {
        return { form: 'update', saved: false, message: 'Nothing changed' };
      }
      const plan = await api.updatePlan(event.params.planId, changes);
      rememberPosition(event.cookies, event.url, plan.position);
      return { form: 'update', saved: true, message: 'Saved' };
    } catch (cause) {
      return failFromApi(cause, 'update', FIELDS, values);
    }
  },
  setActive: async (event) => {
    const form = await event.request.formData();
    const active = form.get('active') === 'true';
    try {
      const plan = await adminApi(event).setPlanActive(event.params.planId, active);
      rememberPosition(event.cookies, event.url, plan.position);
      return {
        form: 'setActive',
        saved: true,
        message: active ? 'The plan is offered again' : 'The plan is deactivated',
      };
    } catch (cause) {
      return failFromApi(cause, 'setActive', []);
    }
  },
};
