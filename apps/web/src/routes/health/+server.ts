import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** Liveness of the web server itself (the container healthcheck); it does not depend on the API. */
export const GET: RequestHandler = () => json({ status: 'ok' });
