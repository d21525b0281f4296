import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { rememberPosition, setSessionCookie } from './api';
import type { ActionOutcome } from './form-actions';

/** Turns a form action's outcome into SvelteKit's answer: fail(400, …), a 303 redirect, or `{ message }`. */
export function respond(event: Pick<RequestEvent, 'cookies' | 'url'>, outcome: ActionOutcome) {
  switch (outcome.kind) {
    case 'fail':
      return fail(outcome.status, outcome.data);
    case 'redirect':
      if (outcome.token) setSessionCookie(event.cookies, event.url, outcome.token);
      rememberPosition(event.cookies, event.url, outcome.position);
      redirect(303, outcome.location);
    // falls through: redirect() throws
    case 'ok':
      rememberPosition(event.cookies, event.url, outcome.position);
      return { message: outcome.message };
  }
}
