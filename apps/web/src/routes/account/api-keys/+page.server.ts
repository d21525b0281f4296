import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { failWith, respond } from '$lib/server/actions';
import { rememberPosition, requireUser, settle } from '$lib/server/api';
import { apiKeyFailureFromApi, parseApiKeyForm, revokeApiKeyAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const cursor = event.url.searchParams.get('cursor');
  return { keys: await settle(event.locals.api.apiKeys({ cursor })), cursor };
};

export const actions: Actions = {
  /** The answer carries the whole key: the page shows it this once (it is never stored, nor shown again). */
  create: async (event) => {
    requireUser(event);
    const parsed = parseApiKeyForm(await event.request.formData(), new Date());
    if (!parsed.ok) return failWith(parsed);
    try {
      const created = await event.locals.api.createApiKey(parsed.value);
      rememberPosition(event.cookies, event.url, created.position);
      return {
        form: 'createKey',
        notice: `API key "${created.name}" created`,
        created: { key: created.key, name: created.name },
      };
    } catch (cause) {
      const { status, failure } = apiKeyFailureFromApi(cause, {
        name: parsed.value.name,
        organizationId: parsed.value.organizationId,
        permissions: parsed.value.permissions.join(','),
        allowedIps: parsed.value.allowedIps.join('\n'),
      });
      return fail(status, failure);
    }
  },
  revoke: async (event) => {
    requireUser(event);
    return respond(event, await revokeApiKeyAction(event.locals.api, await event.request.formData()));
  },
};
