import { rememberPosition, settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseTaxRatesForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ rates: await settle(adminApi(event).taxRates()) });

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const parsed = parseTaxRatesForm(form);
    if (!parsed.ok) return failWith(parsed);
    try {
      const saved = await adminApi(event).setTaxRates(parsed.value);
      rememberPosition(event.cookies, event.url, saved.position);
      return { form: 'rates', notice: `Saved ${saved.rates.length} tax rates` };
    } catch (cause) {
      return failFromApi(cause, 'rates', ['rates'], { rates: String(form.get('rates') ?? '') });
    }
  },
};
