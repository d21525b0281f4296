import { rememberPosition, settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseFirewallPolicyForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  policy: await settle(adminApi(event).firewallPolicy()),
});

export const actions: Actions = {
  save: async (event) => {
    const form = await event.request.formData();
    const parsed = parseFirewallPolicyForm(form);
    if (!parsed.ok) return failWith(parsed);
    try {
      const saved = await adminApi(event).setFirewallPolicy(parsed.value);
      rememberPosition(event.cookies, event.url, saved.position);
      return {
        form: 'policy',
        notice: `Saved: ${saved.inbound.length} rules, the default ${saved.defaultInbound}`,
      };
    } catch (cause) {
      return failFromApi(cause, 'policy', ['rules', 'defaultInbound'], {
        defaultInbound: String(form.get('defaultInbound') ?? ''),
        rules: String(form.get('rules') ?? ''),
      });
    }
  },
};
