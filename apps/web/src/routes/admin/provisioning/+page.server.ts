import { rememberPosition, settle } from '$lib/server/api';
import { PROVISIONING_STATES, type ProvisioningState } from '$lib/server/admin-api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseProvisioningActionForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

/** "Needs attention" (running and stuck) is the default view. */
export const load: PageServerLoad = async (event) => {
  const requested = event.url.searchParams.get('state') ?? 'attention';
  const state = (PROVISIONING_STATES as readonly string[]).includes(requested)
    ? (requested as ProvisioningState)
    : null;
  const pageToken = event.url.searchParams.get('pageToken');
  const api = adminApi(event);
  let result;
  if (state || requested === 'all') {
    result = await settle(api.provisioning({ state, pageToken }));
  } else {
    // Running and stuck together, newest first.
    const [running, stuck] = await Promise.all([
      settle(api.provisioning({ state: 'running' })),
      settle(api.provisioning({ state: 'stuck' })),
    ]);
    result = !running.ok
      ? running
      : !stuck.ok
        ? stuck
        : {
            ok: true as const,
            value: {
              items: [...stuck.value.items, ...running.value.items].sort((a, b) =>
                b.startTime.localeCompare(a.startTime),
              ),
              nextPageToken: null,
            },
          };
  }
  return { filter: state ?? (requested === 'all' ? 'all' : 'attention'), result };
};

export const actions: Actions = {
  act: async (event) => {
    const form = await event.request.formData();
    const parsed = parseProvisioningActionForm(form);
    if (!parsed.ok) return failWith(parsed);
    const { vpsId, action, reason } = parsed.value;
    try {
      const answer = await adminApi(event).provisioningAction(vpsId, action, reason);
      rememberPosition(
        event.cookies,
        event.url,
        typeof answer.position === 'string' ? answer.position : null,
      );
      const instancesLeft = Array.isArray(answer.instancesLeft) ? answer.instancesLeft.map(String) : [];
      return {
        form: 'provisioning',
        done: { vpsId, action, refunded: answer.refunded === true, instancesLeft },
      };
    } catch (cause) {
      return failFromApi(cause, 'provisioning', [], { vpsId, action, reason: reason ?? '' });
    }
  },
};
