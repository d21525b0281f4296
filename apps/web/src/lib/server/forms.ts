/**
 * The portal's one forms kit (customer and staff), as plain functions without SvelteKit imports so unit tests run
 * them: reading and checking posted fields, turning the API's refusals into messages beside the right field, and the
 * customer actions that call the API themselves and say what the page answers. Every failure has one shape
 * (`ActionFailure`: which form, a message, messages by field, what was typed); `$lib/server/actions` turns outcomes
 * into SvelteKit's `fail()` / `redirect()` and cookies.
 */
import type { ActionFailure, FieldErrors } from '../action-result';
import { toMicros as moneyToMicros } from '../money';
import type { PlanInput } from './admin-api';
import { createApiKeyRequestDtoPermissionsValues as API_KEY_PERMISSIONS } from './api-types.gen';
import {
  ApiClient,
  ApiRequestError,
  PAYMENT_PROVIDERS,
  VPS_STATUSES,
  type PaymentProvider,
} from './api-client';

export type { ActionFailure, FieldErrors } from '../action-result';

/** A staff form read and checked before its page calls the API. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; failure: ActionFailure };

/** What a customer action (which calls the API itself) says the page should answer. */
export type ActionOutcome =
  | { kind: 'fail'; status: number; failure: ActionFailure }
  | {
      kind: 'redirect';
      location: string;
      /** A new session token to store (login, register). */
      token?: string;
      /** The sign-in awaits its second factor: keep this mfaToken (a string) for the next step, or forget it (null). */
      mfaToken?: string | null;
      /** The command's position, for X-Min-Position on the next page load. */
      position?: string | null;
    }
  | { kind: 'ok'; form: string; notice: string; position?: string | null };

const MONEY = /^\d{1,12}(?:\.\d{1,6})?$/;
/** What card and PayPal payments take: dollars and cents. */
const CENTS = /^\d{1,9}(?:\.\d{1,2})?$/;
const SIGNED_MONEY = /^[+-]?\d{1,12}(?:\.\d{1,6})?$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** An ISO-8601 instant with an explicit zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** What a datetime-local input posts: a wall time without a zone. */
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

// ---- reading a form ----

/** A posted field, trimmed ('' when missing). */
export function text(form: FormData, name: string): string {
  return secret(form, name).trim();
}

/** A posted field as typed (passwords: never trimmed, never handed back). */
function secret(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function valuesOf(form: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, text(form, n)]));
}

function failure(
  form: string,
  fieldErrors: FieldErrors,
  values: Record<string, string>,
  message: string | null = null,
): ActionFailure {
  return { form, message, fieldErrors, values };
}

/** A staff form's own checks refused it (400). */
function failed<T>(
  form: string,
  fieldErrors: FieldErrors,
  values: Record<string, string>,
  message: string | null = null,
): Parsed<T> {
  return { ok: false, status: 400, failure: failure(form, fieldErrors, values, message) };
}

/** A customer form's own checks refused it (400). */
function refused(
  form: string,
  fieldErrors: FieldErrors,
  values: Record<string, string>,
  message: string | null = null,
): ActionOutcome {
  return { kind: 'fail', status: 400, failure: failure(form, fieldErrors, values, message) };
}

// ---- API errors ----

/** Field names the API uses that a form calls differently. */
const FIELD_ALIASES: Record<string, string> = { 'Idempotency-Key': 'idempotencyKey', atRevision: 'revision' };

/**
 * An API failure as the page shows it: messages for the fields the form has; the rest (or a failure that names no
 * field) as the form's message, or beside `fallbackField` when the form has one for it (login: under the password).
 * The API's status is kept (a 409 stays a 409, a 503 says "try again"). Anything but an ApiRequestError is a bug and
 * is rethrown.
 */
export function failureFromApi(
  cause: unknown,
  form: string,
  fields: readonly string[],
  values: Record<string, string> = {},
  fallbackField?: string,
): { status: number; failure: ActionFailure } {
  if (!(cause instanceof ApiRequestError)) throw cause;
  const fieldErrors: FieldErrors = {};
  const rest: string[] = [];
  for (const [apiField, message] of Object.entries(cause.fieldErrors())) {
    const field = FIELD_ALIASES[apiField] ?? apiField;
    if (fields.includes(field)) fieldErrors[field] = message;
    else rest.push(message);
  }
  let message = Object.keys(fieldErrors).length && !rest.length ? null : rest.join('; ') || cause.message;
  if (message && fallbackField && !(fallbackField in fieldErrors)) {
    fieldErrors[fallbackField] = message;
    message = null;
  }
  const status = cause.status >= 400 && cause.status < 600 ? cause.status : 502;
  return { status, failure: failure(form, fieldErrors, values, message) };
}

function refusedByApi(
  cause: unknown,
  form: string,
  fields: readonly string[],
  values: Record<string, string> = {},
  fallbackField?: string,
): ActionOutcome {
  return { kind: 'fail', ...failureFromApi(cause, form, fields, values, fallbackField) };
}

// ---- money ----

/** "$1,250.5" → "1250.5"; money is typed by people, sent to the API as a decimal string (never a float). */
export function normalizeMoneyInput(raw: string): string {
  return raw.replace(/^\$/, '').replace(/,/g, '').replace(/\s+/g, '');
}

/** Checks a typed amount; null when it is fine. */
export function moneyProblem(
  raw: string,
  options: { field: string; allowZero?: boolean; signed?: boolean } = { field: 'amount' },
): string | null {
  const value = normalizeMoneyInput(raw);
  if (!value) return `${options.field} is required`;
  if (!(options.signed ? SIGNED_MONEY : MONEY).test(value)) {
    return `${options.field} must be a dollar amount with at most 6 decimals, such as 25.00`;
  }
  if (!options.allowZero && /^[+-]?[0.]+$/.test(value)) return `${options.field} must not be zero`;
  return null;
}

/** A payment or refund amount: dollars with at most 2 decimals, not zero; null when it is fine. */
export function centsProblem(raw: string, field: string): string | null {
  const value = normalizeMoneyInput(raw);
  if (!value) return `${field} is required`;
  if (!CENTS.test(value)) return `${field} must be a dollar amount with at most 2 decimals, such as 20.00`;
  if (/^[0.]+$/.test(value)) return `${field} must not be zero`;
  return null;
}

function reasonProblem(reason: string, required: boolean, max = 500): string | null {
  if (!reason) return required ? 'A reason is required' : null;
  if (reason.length > max) return `The reason must be at most ${max} characters`;
  return null;
}

// ---- staff: wallet credit ----

export interface CreditInput {
  amount: string;
  reason: string;
  idempotencyKey: string;
}

/**
 * The credit form carries a hidden idempotency key made when the form was rendered: a double submit or a retry
 * after a lost answer credits once. A new key is made for the next credit only after one succeeded.
 */
export function parseCreditForm(form: FormData): Parsed<CreditInput> {
  const values = valuesOf(form, ['amount', 'reason', 'idempotencyKey']);
  const errors: FieldErrors = {};
  const amountProblem = moneyProblem(values.amount, { field: 'Amount' });
  if (amountProblem) errors.amount = amountProblem;
  const reason = reasonProblem(values.reason, true);
  if (reason) errors.reason = reason;
  if (!IDEMPOTENCY_KEY.test(values.idempotencyKey)) {
    return failed('credit', errors, values, 'The form is out of date: reload the page and try again');
  }
  if (Object.keys(errors).length) return failed('credit', errors, values);
  return {
    ok: true,
    value: {
      amount: normalizeMoneyInput(values.amount),
      reason: values.reason,
      idempotencyKey: values.idempotencyKey,
    },
  };
}

// ---- staff: payment refunds ----

export interface RefundFormValue {
  amount: string;
  reason: string;
  idempotencyKey: string;
}

/** Like the credit form: a hidden key made when the page was rendered, so a double submit refunds once. */
export function parseRefundForm(form: FormData): Parsed<RefundFormValue> {
  const values = valuesOf(form, ['amount', 'reason', 'idempotencyKey']);
  const errors: FieldErrors = {};
  const amountProblem = centsProblem(values.amount, 'Amount');
  if (amountProblem) errors.amount = amountProblem;
  const reason = reasonProblem(values.reason, true);
  if (reason) errors.reason = reason;
  if (!IDEMPOTENCY_KEY.test(values.idempotencyKey)) {
    return failed('refund', errors, values, 'The form is out of date: reload the page and try again');
  }
  if (Object.keys(errors).length) return failed('refund', errors, values);
  return {
    ok: true,
    value: {
      amount: normalizeMoneyInput(values.amount),
      reason: values.reason,
      idempotencyKey: values.idempotencyKey,
    },
  };
}

// ---- invoices: billing profile, tax rates ----

const COUNTRY = /^[A-Za-z]{2}$/;
const TAX_RATE = /^(100(?:\.0{1,2})?|[1-9]?[0-9](?:\.[0-9]{1,2})?)$/;
const BILLING_PROFILE_FIELDS = ['legalName', 'address', 'country', 'taxId'];

/** Saves the organization's billing profile (the API normalizes and checks it again). */
export async function billingProfileAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = valuesOf(form, BILLING_PROFILE_FIELDS);
  const errors: FieldErrors = {};
  if (!values.legalName) errors.legalName = 'Enter the legal name invoices are made out to';
  if (!values.address) errors.address = 'Enter the postal address';
  if (!COUNTRY.test(values.country)) errors.country = 'Enter a two-letter country code, such as DE';
  if (Object.keys(errors).length) return refused('profile', errors, values);
  try {
    const saved = await api.updateBillingProfile(organizationId, {
      legalName: values.legalName,
      address: values.address,
      country: values.country.toUpperCase(),
      taxId: values.taxId || null,
    });
    return { kind: 'ok', form: 'profile', notice: 'Billing profile saved', position: saved.position };
  } catch (cause) {
    return refusedByApi(cause, 'profile', BILLING_PROFILE_FIELDS, values);
  }
}

/**
 * Saves the mail preferences form: one checkbox `mail` per optional mail the user wants; every optional mail
 * offered (`offered`) and not ticked is turned off.
 */
export async function mailPreferencesAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const wanted = new Set(form.getAll('mail').map(String));
  const optedOut = form
    .getAll('offered')
    .map(String)
    .filter((mail) => !wanted.has(mail));
  try {
    const saved = await api.updateMailPreferences(optedOut);
    return { kind: 'ok', form: 'preferences', notice: 'Mail preferences saved', position: saved.position };
  } catch (cause) {
    return refusedByApi(cause, 'preferences', ['optedOut'], {});
  }
}

/** The staff tax-rates form: one `COUNTRY RATE` per line ("DE 19", "FR 20.00"); every rate, replacing the rest. */
export function parseTaxRatesForm(form: FormData): Parsed<{ country: string; rate: string }[]> {
  const values = valuesOf(form, ['rates']);
  const rates: { country: string; rate: string }[] = [];
  const seen = new Set<string>();
  const lines = values.rates.split(/\r?\n/).map((line) => line.trim());
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    const [country = '', rate = '', ...rest] = line.replace(/%$/, '').split(/[\s,;=:]+/);
    const problem = !COUNTRY.test(country)
      ? 'a two-letter country code'
      : !TAX_RATE.test(rate.replace(/%$/, '')) || rest.length > 0
        ? 'a rate from 0 to 100 with at most 2 decimals'
        : seen.has(country.toUpperCase())
          ? 'each country once'
          : null;
    if (problem) {
      return failed('rates', { rates: `Line ${index + 1} ("${line}"): expected ${problem}` }, values);
    }
    seen.add(country.toUpperCase());
    rates.push({ country: country.toUpperCase(), rate: rate.replace(/%$/, '') });
  }
  return { ok: true, value: rates };
}

// ---- staff: plans ----

/** A plan form, read: what the API's create-plan request takes. */
export type PlanFormValue = PlanInput;

const PLAN_FIELDS = ['name', 'providerPlanId', 'regions', 'baseMonthlyPrice', 'markup', 'backupUpcharge'];

/** "us-east, eu-west us-west" → ['us-east', 'eu-west', 'us-west']. */
export function splitRegions(raw: string): string[] {
  return raw
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
}

export function parsePlanForm(form: FormData, formName = 'plan'): Parsed<PlanFormValue> {
  const values = valuesOf(form, PLAN_FIELDS);
  values.active = form.get('active') ? 'on' : '';
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'A name is required';
  else if (values.name.length > 100) errors.name = 'The name must be at most 100 characters';
  if (!PROVIDER_ID.test(values.providerPlanId)) {
    errors.providerPlanId = 'A provider type id such as g6-nanode-1 (lower case, digits, . _ -)';
  }
  const regions = splitRegions(values.regions);
  if (regions.length === 0) errors.regions = 'List at least one region, such as us-east';
  else if (regions.some((r) => !PROVIDER_ID.test(r))) errors.regions = 'Regions are ids such as us-east';
  else if (new Set(regions).size !== regions.length) errors.regions = 'A region is listed twice';
  const base = moneyProblem(values.baseMonthlyPrice, { field: 'Base monthly price' });
  if (base) errors.baseMonthlyPrice = base;
  const markup = moneyProblem(values.markup, { field: 'Markup', allowZero: true });
  if (markup) errors.markup = markup;
  const backup = moneyProblem(values.backupUpcharge, { field: 'Backup upcharge', allowZero: true });
  if (backup) errors.backupUpcharge = backup;
  if (Object.keys(errors).length) return failed(formName, errors, values);
  return {
    ok: true,
    value: {
      name: values.name,
      providerPlanId: values.providerPlanId,
      regions,
      baseMonthlyPrice: normalizeMoneyInput(values.baseMonthlyPrice),
      markup: normalizeMoneyInput(values.markup),
      backupUpcharge: normalizeMoneyInput(values.backupUpcharge),
      active: values.active === 'on',
    },
  };
}

/** Only what changed, so an edit never rewrites a field someone else changed meanwhile. */
export function planChanges(
  before: Omit<PlanFormValue, 'active'> & { active?: boolean },
  after: PlanFormValue,
): Partial<PlanFormValue> {
  const changes: Partial<PlanFormValue> = {};
  if (after.name !== before.name) changes.name = after.name;
  if (after.providerPlanId !== before.providerPlanId) changes.providerPlanId = after.providerPlanId;
  if (after.regions.join(',') !== before.regions.join(',')) changes.regions = after.regions;
  for (const key of ['baseMonthlyPrice', 'markup', 'backupUpcharge'] as const) {
    if (!sameMoney(after[key], before[key])) changes[key] = after[key];
  }
  return changes;
}

/** "5" and "5.000000" are the same amount (compared as micro-dollar integers, never floats). */
export function sameMoney(a: string, b: string): boolean {
  return typedMicros(a) === typedMicros(b);
}

/** A typed amount ("$1,250.50", "+5") as micro-dollars; null when it is not one. */
export function typedMicros(value: string): bigint | null {
  try {
    return moneyToMicros(normalizeMoneyInput(value).replace(/^\+/, ''));
  } catch {
    return null;
  }
}

// ---- times ----

/**
 * An instant from a form: the hidden `<name>Iso` field the page fills in the browser's own zone, else the
 * visible field as an ISO instant with a zone, else (no script) the visible wall time read as UTC.
 */
export function instantField(form: FormData | URLSearchParams, name: string): string | null | 'invalid' {
  const read = (key: string) => {
    const v = form.get(key);
    return typeof v === 'string' ? v.trim() : '';
  };
  const iso = read(`${name}Iso`);
  const raw = iso || read(name);
  if (!raw) return null;
  if (ISO_INSTANT.test(raw) && !Number.isNaN(Date.parse(raw))) return new Date(raw).toISOString();
  if (LOCAL_DATETIME.test(raw) && !Number.isNaN(Date.parse(`${raw}Z`)))
    return new Date(`${raw}Z`).toISOString();
  return 'invalid';
}

// ---- staff: reconciliation ----

export interface ReconciliationFormValue {
  from: string;
  to: string;
  organizationId?: string;
}

export function parseReconciliationForm(form: FormData): Parsed<ReconciliationFormValue> {
  const values = valuesOf(form, ['from', 'to', 'organizationId', 'fromIso', 'toIso']);
  const errors: FieldErrors = {};
  const from = instantField(form, 'from');
  const to = instantField(form, 'to');
  if (from === null) errors.from = 'Pick when the period starts';
  else if (from === 'invalid') errors.from = 'Not a date and time';
  if (to === null) errors.to = 'Pick when the period ends';
  else if (to === 'invalid') errors.to = 'Not a date and time';
  if (from && to && from !== 'invalid' && to !== 'invalid' && Date.parse(from) >= Date.parse(to)) {
    errors.to = 'The end must be after the start';
  }
  if (values.organizationId && !UUID.test(values.organizationId)) {
    errors.organizationId = 'An organization id (a UUID), or leave it empty for every organization';
  }
  if (Object.keys(errors).length) return failed('reconciliation', errors, values);
  return {
    ok: true,
    value: {
      from: from as string,
      to: to as string,
      ...(values.organizationId ? { organizationId: values.organizationId.toLowerCase() } : {}),
    },
  };
}

export interface ResolveFormValue {
  lineId: string;
  reason: string;
  amount?: string;
}

/** The adjustment defaults to what the line says (the API computes it); a typed amount is signed. */
export function parseResolveForm(form: FormData): Parsed<ResolveFormValue> {
  const values = valuesOf(form, ['lineId', 'reason', 'amount']);
  const errors: FieldErrors = {};
  const reason = reasonProblem(values.reason, true);
  if (reason) errors.reason = reason;
  if (values.amount) {
    const problem = moneyProblem(values.amount, { field: 'Adjustment', signed: true });
    if (problem) errors.amount = problem;
  }
  if (!values.lineId) {
    return failed('resolve', errors, values, 'No line was chosen');
  }
  if (Object.keys(errors).length) return failed('resolve', errors, values);
  return {
    ok: true,
    value: {
      lineId: values.lineId,
      reason: values.reason,
      ...(values.amount ? { amount: normalizeMoneyInput(values.amount) } : {}),
    },
  };
}

// ---- staff: provisioning ----

export type ProvisioningActionName = 'retry' | 'abort' | 'terminate' | 'first-hour-refund';

export interface ProvisioningActionValue {
  vpsId: string;
  action: ProvisioningActionName;
  reason?: string;
}

/**
 * Terminate ends the workflow without compensation, abort undoes what was done and a first-hour refund gives
 * money back, so they need a reason (the API records it); retry takes one optionally.
 */
export function parseProvisioningActionForm(form: FormData): Parsed<ProvisioningActionValue> {
  const values = valuesOf(form, ['vpsId', 'action', 'reason']);
  const action = values.action as ProvisioningActionName;
  if (!['retry', 'abort', 'terminate', 'first-hour-refund'].includes(action) || !UUID.test(values.vpsId)) {
    return failed('provisioning', {}, values, 'Unknown server or action');
  }
  const problem = reasonProblem(values.reason, action !== 'retry', 1000);
  if (problem) return failed('provisioning', { reason: problem }, values);
  return {
    ok: true,
    value: { vpsId: values.vpsId.toLowerCase(), action, ...(values.reason ? { reason: values.reason } : {}) },
  };
}

// ---- customer actions ----

/** Any origin: `next` is resolved against it and must stay on it. */
const NEXT_BASE = new URL('http://portal.invalid');
/** Characters browsers drop or rewrite in a URL (controls, backslash), raw or percent-encoded. */
const UNSAFE_IN_NEXT = /[\u0000-\u001f\u007f\\]|%(?:[01][0-9a-f]|7f|5c)/i;

/**
 * Only same-site paths: a `next` parameter can never send the user to another origin. It is parsed as a URL
 * against the portal's origin (as the browser will) and refused when it leaves it or holds what browsers strip
 * ("/%09/evil.com" is "//evil.com" to a browser).
 */
export function safeNext(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || !next.startsWith('/') || UNSAFE_IN_NEXT.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, NEXT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== NEXT_BASE.origin || !url.pathname.startsWith('/') || url.pathname.startsWith('//')) {
    return fallback;
  }
  return url.pathname + url.search + url.hash;
}

export async function loginAction(
  api: ApiClient,
  form: FormData,
  next: string | null,
): Promise<ActionOutcome> {
  const email = text(form, 'email');
  const password = secret(form, 'password');
  const values = { email };
  const errors: FieldErrors = {};
  if (!email) errors.email = 'Enter your email address';
  if (!password) errors.password = 'Enter your password';
  if (Object.keys(errors).length) return refused('login', errors, values);
  try {
    const answer = await api.login(email, password);
    if ('mfaRequired' in answer) {
      const query = next ? `?next=${encodeURIComponent(safeNext(next))}` : '';
      return { kind: 'redirect', location: `/login/two-factor${query}`, mfaToken: answer.mfaToken };
    }
    return { kind: 'redirect', location: safeNext(next), token: answer.token };
  } catch (cause) {
    // Wrong credentials, throttling: the API's message, shown under the password.
    return refusedByApi(cause, 'login', ['email', 'password'], values, 'password');
  }
}

/** What ends a sign-in's second step for good: the password must be given again. */
const MFA_RESTART = new Set(['invalid_mfa_token', 'mfa_token_expired', 'too_many_attempts']);

/**
 * The sign-in's second step: a code from the authenticator app (form `code`) or a recovery code (form `recovery`).
 * A refused code stays on the page beside its field; a sign-in that can no longer finish says to sign in again.
 */
export async function twoFactorLoginAction(
  api: ApiClient,
  form: FormData,
  mfaToken: string | null,
  next: string | null,
  kind: 'code' | 'recovery',
): Promise<ActionOutcome> {
  const field = kind === 'code' ? 'code' : 'recoveryCode';
  const typed = text(form, field);
  const formName = kind === 'code' ? 'code' : 'recovery';
  if (!mfaToken) return refused(formName, {}, {}, 'This sign-in has expired: sign in again');
  if (!typed) {
    return refused(
      formName,
      {
        [field]:
          kind === 'code' ? 'Enter the 6-digit code from your app' : 'Enter one of your recovery codes',
      },
      {},
    );
  }
  const proof = kind === 'code' ? { code: typed.replace(/\s/g, '') } : { recoveryCode: typed };
  try {
    const session = await api.completeMfaLogin(mfaToken, proof);
    return { kind: 'redirect', location: safeNext(next), token: session.token, mfaToken: null };
  } catch (cause) {
    if (cause instanceof ApiRequestError && MFA_RESTART.has(cause.code)) {
      return {
        kind: 'fail',
        status: cause.status,
        failure: failure(formName, {}, {}, `${cause.message}`),
      };
    }
    return refusedByApi(cause, formName, [field], {}, field);
  }
}

// ---- account: two-factor authentication ----

/** Starts (or restarts) 2FA setup; the page shows the QR code and the secret this answers. */
export async function setupTwoFactorAction(
  api: ApiClient,
): Promise<{ kind: 'setup'; secret: string; otpauthUrl: string; qrSvg: string } | ActionOutcome> {
  try {
    const setup = await api.setupTwoFactor();
    return { kind: 'setup', ...setup };
  } catch (cause) {
    return refusedByApi(cause, 'setup', []);
  }
}

/** Turns 2FA on with a code; the recovery codes are shown this once. The typed secret is kept for a retry. */
export async function enableTwoFactorAction(
  api: ApiClient,
  form: FormData,
): Promise<{ kind: 'enabled'; recoveryCodes: string[]; position: string | null } | ActionOutcome> {
  const code = text(form, 'code').replace(/\s/g, '');
  const values = { secret: text(form, 'secret') };
  if (!/^\d{6}$/.test(code))
    return refused('enable', { code: 'Enter the 6-digit code from your app' }, values);
  try {
    const enabled = await api.enableTwoFactor(code);
    return { kind: 'enabled', recoveryCodes: enabled.recoveryCodes, position: enabled.position };
  } catch (cause) {
    return refusedByApi(cause, 'enable', ['code'], values, 'code');
  }
}

export async function disableTwoFactorAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const password = secret(form, 'password');
  const code = text(form, 'code').replace(/\s/g, '');
  const errors: FieldErrors = {};
  if (!password) errors.password = 'Enter your password';
  if (!code) errors.code = 'Enter the 6-digit code from your app';
  if (Object.keys(errors).length) return refused('disable', errors, {});
  try {
    const answer = await api.disableTwoFactor(password, code);
    return {
      kind: 'ok',
      form: 'disable',
      notice: 'Two-factor authentication is off',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'disable', ['password', 'code'], {}, 'code');
  }
}

/** `next`: where to go once registered (an invitation link), kept on the portal by safeNext. */
export async function registerAction(
  api: ApiClient,
  form: FormData,
  next: string | null = null,
): Promise<ActionOutcome> {
  const name = text(form, 'name');
  const email = text(form, 'email');
  const password = secret(form, 'password');
  const values = { name, email };
  const errors: FieldErrors = {};
  if (!name) errors.name = 'Enter your name';
  if (!email) errors.email = 'Enter your email address';
  if (password.length < 10) errors.password = 'Use at least 10 characters';
  if (Object.keys(errors).length) return refused('register', errors, values);
  try {
    const session = await api.register({ name, email, password });
    return {
      kind: 'redirect',
      location: safeNext(next),
      token: session.token,
      position: session.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'register', ['name', 'email', 'password'], values);
  }
}

/** The wizard's last step. The idempotency key comes from the rendered form, so a double submit is one server. */
export async function createServerAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = {
    label: text(form, 'label'),
    region: text(form, 'region'),
    planId: text(form, 'planId'),
    image: text(form, 'image'),
    // One checkbox per key of the organization: ids joined, to hand the choice back after a refusal.
    sshKeyIds: form
      .getAll('sshKeyIds')
      .filter((id): id is string => typeof id === 'string')
      .map((id) => id.trim())
      .filter(Boolean)
      .join(','),
    backups: text(form, 'backups') === 'on' ? 'on' : '',
    idempotencyKey: text(form, 'idempotencyKey'),
  };
  const rootPassword = secret(form, 'rootPassword');
  const errors: FieldErrors = {};
  if (!values.region) errors.region = 'Choose a region';
  if (!values.planId) errors.planId = 'Choose a plan';
  if (!values.image) errors.image = 'Choose an image';
  if (!values.label) errors.label = 'Name your server';
  if (!rootPassword) errors.rootPassword = 'Set a root password';
  const stale = values.idempotencyKey ? null : 'This form is out of date; reload the page and try again';
  if (stale || Object.keys(errors).length) return refused('create', errors, values, stale);
  const sshKeyIds = values.sshKeyIds ? values.sshKeyIds.split(',') : [];
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
    return refusedByApi(
      cause,
      'create',
      ['label', 'region', 'planId', 'image', 'rootPassword', 'sshKeyIds', 'backups'],
      values,
    );
  }
}

/**
 * "Add funds": starts a payment with the provider chosen and sends the browser to the provider's page to approve it.
 * The idempotency key comes from the rendered form, so a double submit or a retry starts one payment (and answers
 * with the same approval page).
 */
export async function addFundsAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = {
    amount: text(form, 'amount'),
    provider: text(form, 'provider'),
    idempotencyKey: text(form, 'idempotencyKey'),
  };
  const errors: FieldErrors = {};
  const amountProblem = centsProblem(values.amount, 'Amount');
  if (amountProblem) errors.amount = amountProblem;
  if (!(PAYMENT_PROVIDERS as readonly string[]).includes(values.provider))
    errors.provider = 'Choose PayPal or card';
  if (!IDEMPOTENCY_KEY.test(values.idempotencyKey)) {
    return refused('addFunds', errors, values, 'This form is out of date; reload the page and try again');
  }
  if (Object.keys(errors).length) return refused('addFunds', errors, values);
  try {
    const created = await api.createPayment(organizationId, values.idempotencyKey, {
      provider: values.provider as PaymentProvider,
      amount: normalizeMoneyInput(values.amount),
    });
    return { kind: 'redirect', location: created.redirectUrl };
  } catch (cause) {
    return refusedByApi(cause, 'addFunds', ['amount', 'provider'], values);
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
    return refused('power', {}, { action }, `Unknown action ${JSON.stringify(action)}`);
  }
  try {
    const answer = await api.powerAction(organizationId, vpsId, action as PowerAction);
    const done = { boot: 'Boot requested', shutdown: 'Shutdown requested', reboot: 'Reboot requested' };
    return { kind: 'ok', form: 'power', notice: done[action as PowerAction], position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'power', [], { action });
  }
}

export async function deleteServerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
): Promise<ActionOutcome> {
  try {
    const answer = await api.deleteServer(organizationId, vpsId);
    return { kind: 'ok', form: 'delete', notice: 'Deletion requested', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'delete', []);
  }
}

/** Rename: the API checks the label as on creation; the new name shows once the provider took it. */
export async function renameServerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { label: text(form, 'label') };
  if (!values.label) return refused('rename', { label: 'Enter the new name' }, values);
  try {
    const answer = await api.renameServer(organizationId, vpsId, values.label);
    return {
      kind: 'ok',
      form: 'rename',
      notice: `Renaming to ${answer.operation.label ?? values.label}…`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'rename', ['label'], values, 'label');
  }
}

/** Reverse DNS of the server's address; an empty host name goes back to the provider's default. */
export async function reverseDnsAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { ipv4: text(form, 'ipv4'), hostname: text(form, 'hostname') };
  if (!values.ipv4) return refused('reverseDns', {}, values, 'The server has no address yet');
  try {
    const answer = await api.setReverseDns(organizationId, vpsId, values.ipv4, values.hostname || null);
    const hostname = answer.operation.hostname;
    return {
      kind: 'ok',
      form: 'reverseDns',
      notice: hostname ? `Setting the reverse DNS to ${hostname}…` : 'Restoring the default reverse DNS…',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'reverseDns', ['hostname'], values, 'hostname');
  }
}

// ---- rebuild, resize, backups (issue 15) ----

/** Rebuild: an image, a new root password and/or keys (without a password the API generates one: keys only). */
export async function rebuildServerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { image: text(form, 'image') };
  const rootPassword = text(form, 'rootPassword');
  const sshKeyIds = form
    .getAll('sshKeyIds')
    .filter((id): id is string => typeof id === 'string' && id !== '');
  const errors: FieldErrors = {};
  if (!values.image) errors.image = 'Choose the image to install';
  if (!rootPassword && sshKeyIds.length === 0)
    errors.rootPassword = 'Give a root password or tick at least one SSH key';
  if (Object.keys(errors).length) return refused('rebuild', errors, values);
  try {
    const answer = await api.rebuildServer(organizationId, vpsId, {
      image: values.image,
      sshKeyIds,
      ...(rootPassword ? { rootPassword } : {}),
    });
    return {
      kind: 'ok',
      form: 'rebuild',
      notice: `Rebuilding with ${answer.operation.image ?? values.image}…`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'rebuild', ['image', 'rootPassword', 'sshKeyIds'], values, 'image');
  }
}

/** Resize to another plan of the server's region; its price applies from the next billing period. */
export async function resizeServerAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { planId: text(form, 'planId') };
  if (!values.planId) return refused('resize', { planId: 'Choose the new plan' }, values);
  try {
    const answer = await api.resizeServer(organizationId, vpsId, values.planId);
    return {
      kind: 'ok',
      form: 'resize',
      notice: `Resizing; ${answer.operation.hourlyPrice ?? 'the new price'}/h from the next billing period…`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'resize', ['planId'], values, 'planId');
  }
}

/** Backups on ("enable") or off ("disable"); the upcharge starts or stops at the next billing period. */
export async function backupsAction(
  api: ApiClient,
  organizationId: string,
  vpsId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { backups: text(form, 'backups') };
  if (values.backups !== 'enable' && values.backups !== 'disable') {
    return refused('backups', {}, values, 'Choose to enable or disable backups');
  }
  try {
    const answer = await api.setServerBackups(organizationId, vpsId, values.backups === 'enable');
    return {
      kind: 'ok',
      form: 'backups',
      notice: values.backups === 'enable' ? 'Enabling backups…' : 'Disabling backups…',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'backups', [], values);
  }
}

export async function addSshKeyAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const values = { name: text(form, 'name'), publicKey: text(form, 'publicKey') };
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'Name the key (e.g. the machine it is on)';
  if (!values.publicKey) errors.publicKey = 'Paste the public key (the content of the .pub file)';
  if (Object.keys(errors).length) return refused('addKey', errors, values);
  try {
    const answer = await api.addSshKey(organizationId, values.name, values.publicKey);
    return {
      kind: 'ok',
      form: 'addKey',
      notice: `Key ${answer.key.name} added (${answer.key.fingerprint})`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'addKey', ['name', 'publicKey'], values, 'publicKey');
  }
}

export async function deleteSshKeyAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const keyId = text(form, 'keyId');
  if (!UUID.test(keyId)) return refused('deleteKey', {}, { keyId }, 'Choose a key');
  try {
    const answer = await api.deleteSshKey(organizationId, keyId);
    // The confirmation dialog posts without JavaScript: a fresh GET (with the position) shows the list without it.
    return { kind: 'redirect', location: '/organizations/ssh-keys', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'deleteKey', [], { keyId });
  }
}

export async function createOrganizationAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const name = text(form, 'name');
  if (!name) return refused('create', { name: 'Name the organization' }, { name });
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
    return refusedByApi(cause, 'create', ['name'], { name });
  }
}

export async function switchOrganizationAction(
  api: ApiClient,
  form: FormData,
  next: string | null,
): Promise<ActionOutcome> {
  const organizationId = text(form, 'organizationId');
  if (!UUID.test(organizationId)) return refused('switch', {}, { organizationId }, 'Choose an organization');
  try {
    const answer = await api.selectActiveOrganization(organizationId);
    return { kind: 'redirect', location: safeNext(next, '/dashboard'), position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'switch', [], { organizationId });
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
    return { kind: 'ok', form: 'changeRole', notice: 'Role changed', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'changeRole', [], { userId, role });
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
    return { kind: 'ok', form: 'removeMember', notice: 'Member removed', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'removeMember', [], { userId });
  }
}

export async function inviteAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const email = text(form, 'email');
  const role = text(form, 'role');
  if (!email) return refused('invite', { email: 'Enter their email address' }, { email, role });
  if (!role) return refused('invite', { role: 'Choose a role' }, { email, role });
  try {
    const answer = await api.invite(organizationId, email, role);
    return {
      kind: 'ok',
      form: 'invite',
      notice: `Invitation mailed to ${answer.email}: they join once they accept`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'invite', ['email', 'role'], { email, role }, 'email');
  }
}

export async function revokeInvitationAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const invitationId = text(form, 'invitationId');
  if (!UUID.test(invitationId)) return refused('revokeInvitation', {}, {}, 'Choose an invitation');
  try {
    const answer = await api.revokeInvitation(organizationId, invitationId);
    return { kind: 'ok', form: 'revokeInvitation', notice: 'Invitation revoked', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'revokeInvitation', []);
  }
}

/** A role form's fields: its name and the permissions ticked. */
function roleFields(form: FormData): { name: string; permissions: string[] } {
  const permissions = form.getAll('permissions').filter((p): p is string => typeof p === 'string');
  return { name: text(form, 'name'), permissions: [...new Set(permissions)] };
}

export async function createRoleAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const { name, permissions } = roleFields(form);
  const values = { name, permissions: permissions.join(',') };
  const errors: FieldErrors = {};
  if (!name) errors.name = 'Name the role';
  if (permissions.length === 0) errors.permissions = 'Tick at least one permission';
  if (Object.keys(errors).length) return refused('createRole', errors, values);
  try {
    const answer = await api.createRole(organizationId, name, permissions);
    return { kind: 'ok', form: 'createRole', notice: `Role ${name} created`, position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'createRole', ['name', 'permissions'], values);
  }
}

export async function updateRoleAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const roleId = text(form, 'roleId');
  const { name, permissions } = roleFields(form);
  const values = { roleId, name, permissions: permissions.join(',') };
  const errors: FieldErrors = {};
  if (!name) errors.name = 'Name the role';
  if (permissions.length === 0) errors.permissions = 'Tick at least one permission';
  if (!UUID.test(roleId)) return refused('updateRole', {}, values, 'Choose one of your custom roles');
  if (Object.keys(errors).length) return refused('updateRole', errors, values);
  try {
    const answer = await api.updateRole(organizationId, roleId, { name, permissions });
    return { kind: 'ok', form: 'updateRole', notice: `Role ${name} saved`, position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'updateRole', ['name', 'permissions'], values);
  }
}

export async function deleteRoleAction(
  api: ApiClient,
  organizationId: string,
  form: FormData,
): Promise<ActionOutcome> {
  const roleId = text(form, 'roleId');
  if (!UUID.test(roleId)) return refused('deleteRole', {}, {}, 'Choose one of your custom roles');
  try {
    const answer = await api.deleteRole(organizationId, roleId);
    return { kind: 'ok', form: 'deleteRole', notice: 'Role deleted', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'deleteRole', []);
  }
}

/** Accepting joins the organization and makes it the active one: that is why one accepts. */
export async function acceptInvitationAction(api: ApiClient, token: string): Promise<ActionOutcome> {
  try {
    const accepted = await api.acceptInvitation(token);
    const selected = await api.selectActiveOrganization(accepted.organizationId);
    return {
      kind: 'redirect',
      location: '/organizations',
      position: selected.position ?? accepted.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'acceptInvitation', []);
  }
}

export async function declineInvitationAction(api: ApiClient, token: string): Promise<ActionOutcome> {
  try {
    const declined = await api.declineInvitation(token);
    return {
      kind: 'ok',
      form: 'declineInvitation',
      notice: `You declined to join ${declined.organizationName}`,
      position: declined.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'declineInvitation', []);
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
    return refusedByApi(cause, 'leave', []);
  }
}

/** `?status=` of the servers list, if it is one the API knows. */
export function statusFilter(value: string | null): (typeof VPS_STATUSES)[number] | null {
  return value && (VPS_STATUSES as readonly string[]).includes(value)
    ? (value as (typeof VPS_STATUSES)[number])
    : null;
}

// ---- account: email verification, password reset and change, sessions ----

/** A mailed link's token (`?token=`): the API checks it; the portal only refuses what cannot be one. */
function linkToken(form: FormData): string {
  return text(form, 'token').slice(0, 200);
}

export async function verifyEmailAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const token = linkToken(form);
  if (!token)
    return refused('verifyEmail', {}, {}, 'This link has no token: open the link from the mail again');
  try {
    const answer = await api.verifyEmail(token);
    return {
      kind: 'ok',
      form: 'verifyEmail',
      notice: 'Your email address is verified',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'verifyEmail', []);
  }
}

export async function resendVerificationAction(api: ApiClient): Promise<ActionOutcome> {
  try {
    const answer = await api.resendEmailVerification();
    return {
      kind: 'ok',
      form: 'resendVerification',
      notice: 'A new verification link is on its way',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'resendVerification', []);
  }
}

/** The answer is the same whether or not the address has an account (the API's too). */
export async function forgotPasswordAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const email = text(form, 'email');
  if (!email) return refused('forgotPassword', { email: 'Enter your email address' }, { email });
  try {
    await api.requestPasswordReset(email);
    return {
      kind: 'ok',
      form: 'forgotPassword',
      notice: `If ${email} has an account, a link to choose a new password is on its way. It works for one hour.`,
    };
  } catch (cause) {
    return refusedByApi(cause, 'forgotPassword', ['email'], { email }, 'email');
  }
}

function newPasswordProblems(password: string, confirmation: string, field: string): FieldErrors {
  if (password.length < 10) return { [field]: 'Use at least 10 characters' };
  if (password !== confirmation) return { confirmPassword: 'The two passwords differ' };
  return {};
}

/** After a reset every session is over, this browser's too: the next stop is the login page. */
export async function resetPasswordAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const token = linkToken(form);
  const password = secret(form, 'password');
  const errors = newPasswordProblems(password, secret(form, 'confirmPassword'), 'password');
  if (!token)
    return refused('resetPassword', errors, {}, 'This link has no token: open the link from the mail again');
  if (Object.keys(errors).length) return refused('resetPassword', errors, {});
  try {
    await api.resetPassword(token, password);
    return { kind: 'redirect', location: '/login?reset=1' };
  } catch (cause) {
    return refusedByApi(cause, 'resetPassword', ['password'], {});
  }
}

export async function changePasswordAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const currentPassword = secret(form, 'currentPassword');
  const newPassword = secret(form, 'newPassword');
  const errors = newPasswordProblems(newPassword, secret(form, 'confirmPassword'), 'newPassword');
  if (!currentPassword) errors.currentPassword = 'Enter your current password';
  if (Object.keys(errors).length) return refused('changePassword', errors, {});
  try {
    const answer = await api.changePassword(currentPassword, newPassword);
    return {
      kind: 'ok',
      form: 'changePassword',
      notice: 'Password changed. Your other sessions are signed out.',
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'changePassword', ['currentPassword', 'newPassword'], {}, 'currentPassword');
  }
}

export async function revokeSessionAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const sessionId = text(form, 'sessionId');
  if (!UUID.test(sessionId))
    return refused('sessions', {}, {}, 'This session is not listed any more: reload the page');
  try {
    const answer = await api.revokeSession(sessionId);
    return { kind: 'ok', form: 'sessions', notice: 'That session is signed out', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'sessions', []);
  }
}

export async function revokeOtherSessionsAction(api: ApiClient): Promise<ActionOutcome> {
  try {
    const answer = await api.revokeOtherSessions();
    const count = answer.revokedSessionIds.length;
    return {
      kind: 'ok',
      form: 'sessions',
      notice:
        count === 0
          ? 'No other session was signed in'
          : `Signed out everywhere else (${count} session${count === 1 ? '' : 's'})`,
      position: answer.position,
    };
  } catch (cause) {
    return refusedByApi(cause, 'sessions', []);
  }
}

// ---- API keys ----

/** The expiries the form offers, in days; none: the key works until revoked. */
export const API_KEY_EXPIRY_DAYS = [7, 30, 90, 365] as const;
const API_KEY_FIELDS = ['name', 'organizationId', 'permissions', 'expiresInDays', 'allowedIps'];
const DAY_MS = 86_400_000;

export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

export interface ApiKeyFormValue {
  name: string;
  organizationId: string;
  permissions: ApiKeyPermission[];
  expiresAt: string | null;
  allowedIps: string[];
}

/**
 * The new-key form: a name, one organization, its permission checkboxes (`permissions`), an expiry in days from
 * `now` (or none), and addresses or CIDR ranges separated by spaces, commas or lines (none: anywhere). Whether the
 * permissions are the user's to give and the ranges valid is the API's to say.
 */
export function parseApiKeyForm(form: FormData, now: Date): Parsed<ApiKeyFormValue> {
  const values = valuesOf(
    form,
    API_KEY_FIELDS.filter((f) => f !== 'permissions'),
  );
  const permissions = form.getAll('permissions').map(String);
  values.permissions = permissions.join(',');
  const errors: FieldErrors = {};
  if (!values.name) errors.name = 'Name the key, e.g. after what uses it';
  else if (values.name.length > 100) errors.name = 'The name must be at most 100 characters';
  if (!UUID.test(values.organizationId)) errors.organizationId = 'Choose an organization';
  if (permissions.length === 0) errors.permissions = 'Choose at least one permission';
  else if (permissions.some((p) => !(API_KEY_PERMISSIONS as readonly string[]).includes(p))) {
    errors.permissions = 'Choose among the permissions listed';
  }
  const days = values.expiresInDays ? Number(values.expiresInDays) : null;
  if (days !== null && !(API_KEY_EXPIRY_DAYS as readonly number[]).includes(days)) {
    errors.expiresInDays = 'Choose one of the expiries offered';
  }
  const allowedIps = values.allowedIps.split(/[\s,]+/).filter(Boolean);
  if (allowedIps.length > 20) errors.allowedIps = 'At most 20 addresses or ranges';
  if (Object.keys(errors).length) return failed('createKey', errors, values);
  return {
    ok: true,
    value: {
      name: values.name,
      organizationId: values.organizationId,
      permissions: permissions as ApiKeyPermission[],
      expiresAt: days === null ? null : new Date(now.getTime() + days * DAY_MS).toISOString(),
      allowedIps,
    },
  };
}

/** An API refusal of the new-key form, beside the field it names (`expiresAt` is the expiry field here). */
export function apiKeyFailureFromApi(cause: unknown, values: Record<string, string>) {
  const { status, failure: refusal } = failureFromApi(
    cause instanceof ApiRequestError && cause.field === 'expiresAt'
      ? new ApiRequestError(cause.status, cause.code, cause.message, { field: 'expiresInDays' })
      : cause,
    'createKey',
    API_KEY_FIELDS,
    values,
  );
  return { status, failure: refusal };
}

export async function revokeApiKeyAction(api: ApiClient, form: FormData): Promise<ActionOutcome> {
  const keyId = text(form, 'keyId');
  if (!UUID.test(keyId)) return refused('keys', {}, {}, 'This key is not one of yours: reload the page');
  try {
    const answer = await api.revokeApiKey(keyId);
    return { kind: 'ok', form: 'keys', notice: 'API key revoked', position: answer.position };
  } catch (cause) {
    return refusedByApi(cause, 'keys', []);
  }
}

// ---- staff: impersonation ----

/** Staff say why they act as the user (the user is mailed the reason). */
export function parseImpersonationForm(form: FormData): Parsed<{ reason: string }> {
  const values = valuesOf(form, ['reason']);
  const problem = reasonProblem(values.reason, true);
  if (problem) return failed('impersonate', { reason: problem }, values);
  return { ok: true, value: { reason: values.reason } };
}
