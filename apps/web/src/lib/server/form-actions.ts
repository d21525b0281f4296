/**
 * The logic of the portal's form actions as plain functions (no SvelteKit imports, so unit tests run them against a
 * stand-in API): each reads the form, calls the API and says what the page should answer — a 400 with the values
 * and the API's message next to the field, or a redirect (with a new session token or a position to read back).
 * The +page.server.ts files turn the outcome into `fail()` / `redirect()` and cookies (see `$lib/server/actions`).
 */
import { ApiClient, ApiRequestError, VPS_STATUSES } from './api-client';

export type FieldErrors = Record<string, string>;

export interface FailureData {
  /** What was typed, handed back to the form (never passwords). */
  values: Record<string, string>;
  /** Messages by field name; `form` for a message about the whole form. */
  errors: FieldErrors;
}

export type ActionOutcome =
  | { kind: 'fail'; status: number; data: FailureData }
  | {
      kind: 'redirect';
      location: string;
      /** A new session token to store (login, register). */
      token?: string;
      /** The command's position, for X-Min-Position on the next page load. */
      position?: string | null;
    }
  | { kind: 'ok'; message: string; position?: string | null };

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function fail(values: Record<string, string>, errors: FieldErrors, status = 400): ActionOutcome {
  return { kind: 'fail', status, data: { values, errors } };
}

/**
 * The API's refusal as form errors: each field the API named gets its message; anything else goes on `fallbackField`
 * (or the whole form). Statuses other than 4xx keep their meaning (e.g. 503) so the page can say "try again".
 */
export function failureFromApi(
  cause: unknown,
  values: Record<string, string>,
  options: { fallbackField?: string; knownFields?: readonly string[] } = {},
): ActionOutcome {
  if (!(cause instanceof ApiRequestError)) throw cause;
  const errors: FieldErrors = {};
  const known = options.knownFields ?? Object.keys(values);
  for (const [field, message] of Object.entries(cause.fieldErrors())) {
    if (known.includes(field)) errors[field] = message;
  }
  if (Object.keys(errors).length === 0) errors[options.fallbackField ?? 'form'] = cause.message;
  const status = cause.status >= 400 && cause.status < 500 ? 400 : cause.status;
  return fail(values, errors, status);
}

/** Only same-site paths: a `next` parameter can never send the user to another origin. */
export function safeNext(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

export async function loginAction(
  api: ApiClient,
  form: FormData,
  next: string | null,
): Promise<ActionOutcome> {
  const email = text(form, 'email').trim();
  const password = text(form, 'password');
  const values = { email };
  const errors: FieldErrors = {};
  if (!email) errors.email = 'Enter your email address';
  if (!password) errors.password = 'Enter your password';
  if (Object.keys(errors).length) return fail(values, errors);
  try {
    const session = await api.login(email, password);
    return { kind: 'redirect', location: safeNext(next), token: session.token };
  } catch (cause) {
    // Wrong credentials, throttling: the API's message, shown under the password.
    return failureFromApi(cause, values, { fallbackField: 'password', knownFields: ['email', 'password'] });
  }
}

export async function registerAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const name = text(form, 'name').trim();
  const email = text(form, 'email').trim();
  const password = text(form, 'password');
  const values = { name, email };
  const errors: FieldErrors = {};
  if (!name) errors.name = 'Enter your name';
  if (!email) errors.email = 'Enter your email address';
  if (password.length < 10) errors.password = 'Use at least 10 characters';
  if (Object.keys(errors).length) return fail(values, errors);
  try {
    const session = await api.register({ name, email, password });
    return { kind: 'redirect', location: '/dashboard', token: session.token, position: session.position };
  } catch (cause) {
    return failureFromApi(cause, values, { knownFields: ['name', 'email', 'password'] });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The wizard's last step. The idempotency key comes from the rendered form, so a double submit is one server. */
export async function createServerAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = {
    label: text(form, 'label').trim(),
    region: text(form, 'region'),
    planId: text(form, 'planId'),
    image: text(form, 'image'),
    sshKeyIds: text(form, 'sshKeyIds').trim(),
    backups: text(form, 'backups') === 'on' ? 'on' : '',
    idempotencyKey: text(form, 'idempotencyKey'),
  };
  const rootPassword = text(form, 'rootPassword');
  const errors: FieldErrors = {};
  if (!values.region) errors.region = 'Choose a region';
  if (!values.planId) errors.planId = 'Choose a plan';
  if (!values.image) errors.image = 'Choose an image';
  if (!values.label) errors.label = 'Name your server';
  if (!rootPassword) errors.rootPassword = 'Set a root password';
  if (!values.idempotencyKey) errors.form = 'This form is out of date; reload the page and try again';
  if (Object.keys(errors).length) return fail(values, errors);
  const sshKeyIds = values.sshKeyIds
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  try {
    const created = await api.createServer(organizationId, values.idempotencyKey, {
      label: values.label,
      planId: values.planId,
      region: values.region,
      image: values.image,
      rootPassword,
      sshKeyIds,
      backups: values.backups === 'on',
    });
    return { kind: 'redirect', location: `/vps/${created.id}`, position: created.position };
  } catch (cause) {
    return failureFromApi(cause, values, {
      knownFields: ['label', 'region', 'planId', 'image', 'rootPassword', 'sshKeyIds', 'backups'],
    });
  }
}

export const POWER_ACTIONS = ['boot', 'shutdown', 'reboot'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

export async function powerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const action = text(form, 'action');
  if (!(POWER_ACTIONS as readonly string[]).includes(action)) {
    return fail({ action }, { form: `Unknown action ${JSON.stringify(action)}` });
  }
  try {
    const answer = await api.powerAction(organizationId, vpsId, action as PowerAction);
    const done = { boot: 'Boot requested', shutdown: 'Shutdown requested', reboot: 'Reboot requested' };
    return { kind: 'ok', message: done[action as PowerAction], position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, { action }, { fallbackField: 'form', knownFields: [] });
  }
}

export async function deleteServerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
): Promise<ActionOutcome> {
  try {
    const answer = await api.deleteServer(organizationId, vpsId);
    return { kind: 'ok', message: 'Deletion requested', position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, {}, { knownFields: [] });
  }
}

export async function createOrganizationAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const name = text(form, 'name').trim();
  if (!name) return fail({ name }, { name: 'Name the organization' });
  try {
    const created = await api.createOrganization(name);
    // The new organization becomes the active one: that is why one creates it.
    const selected = await api.selectActiveOrganization(created.organizationId);
    return {
      kind: 'redirect',
      location: '/organizations',
      position: selected.position ?? created.position,
    };
  } catch (cause) {
    return failureFromApi(cause, { name }, { knownFields: ['name'] });
  }
}

export async function switchOrganizationAction(
  api: ApiClient,
  form: FormData,
  next: string | null,
): Promise<ActionOutcome> {
  const organizationId = text(form, 'organizationId');
  if (!UUID.test(organizationId)) return fail({ organizationId }, { form: 'Choose an organization' });
  try {
    const answer = await api.selectActiveOrganization(organizationId);
    return { kind: 'redirect', location: safeNext(next, '/dashboard'), position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, { organizationId }, { knownFields: [] });
  }
}

export async function changeRoleAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const userId = text(form, 'userId');
  const role = text(form, 'role');
  try {
    const answer = await api.changeMemberRole(organizationId, userId, role);
    return { kind: 'ok', message: 'Role changed', position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, { userId, role }, { knownFields: [] });
  }
}

export async function removeMemberAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const userId = text(form, 'userId');
  try {
    const answer = await api.removeMember(organizationId, userId);
    return { kind: 'ok', message: 'Member removed', position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, { userId }, { knownFields: [] });
  }
}

export async function addMemberAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const email = text(form, 'email').trim();
  const role = text(form, 'role');
  if (!email) return fail({ email, role }, { email: 'Enter their email address' });
  try {
    const answer = await api.addMember(organizationId, email, role);
    return { kind: 'ok', message: `${email} added`, position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, { email, role }, { fallbackField: 'email', knownFields: ['email', 'role'] });
  }
}

/** Leaving is removing yourself; afterwards another organization (if any) becomes the active one. */
export async function leaveOrganizationAction(
  api: ApiClient,
  organizationId: string,
  userId: string,
): Promise<ActionOutcome> {
  try {
    const answer = await api.removeMember(organizationId, userId);
    return { kind: 'redirect', location: '/organizations', position: answer.position };
  } catch (cause) {
    return failureFromApi(cause, {}, { knownFields: [] });
  }
}

/** `?status=` of the servers list, if it is one the API knows. */
export function statusFilter(value: string | null): (typeof VPS_STATUSES)[number] | null {
  return value && (VPS_STATUSES as readonly string[]).includes(value)
    ? (value as (typeof VPS_STATUSES)[number])
    : null;
}
