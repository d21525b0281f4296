import { error } from '@sveltejs/kit';
import { loadOrFail } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { timeTravelQuery } from '$lib/admin/event-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const at = timeTravelQuery(event.url.searchParams);
  if (at === 'invalid') error(400, 'Pick a revision (a whole number) or a date and time');
  const fromRevision = event.url.searchParams.get('fromRevision') ?? undefined;
  const stream = await loadOrFail(
    adminApi(event).stream(event.params.streamId, { ...at, fromRevision, limit: 200 }),
  );
  return { stream, at };
};
