import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { clearMfaCookie, rememberPosition, setMfaCookie, setSessionCookie } from './api';
import { failureFromApi, type ActionOutcome, type Parsed } from './forms';

/**
 * Turns a customer action's outcome into SvelteKit's answer: `fail(status, failure)`, a 303 redirect, or
 * `{ form, notice }`.
 */
export function respond(event: Pick<RequestEvent, 'cookies' | 'url'>, outcome: ActionOutcome) {
  switch (outcome.kind) {
    case 'fail':
      return fail(outcome.status, outcome.failure);
    case 'redirect':
      if (outcome.token) setSessionCookie(event.cookies, event.url, outcome.token);
      if (outcome.mfaToken) setMfaCookie(event.cookies, event.url, outcome.mfaToken);
      else if (outcome.mfaToken === null) clearMfaCookie(event.cookies);
      rememberPosition(event.cookies, event.url, outcome.position);
      redirect(303, outcome.location);
    // falls through: redirect() throws
    case 'ok':
      rememberPosition(event.cookies, event.url, outcome.position);
      return { form: outcome.form, notice: outcome.notice };
  }
}

/** A staff form's parse failure as SvelteKit's `fail` (the page shows it in place). */
export function failWith(parsed: Extract<Parsed<unknown>, { ok: false }>) {
  return fail(parsed.status, parsed.failure);
}

/** An API failure as SvelteKit's `fail` (see `failureFromApi`). */
export function failFromApi(
  cause: unknown,
  form: string,
  fields: string[],
  values: Record<string, string> = {},
) {
  const { status, failure } = failureFromApi(cause, form, fields, values);
  return fail(status, failure);
}
