/**
 * The staff area's form-action logic as plain functions (no SvelteKit imports, unit-tested): reading and checking
 * posted fields before the API is called, and turning the API's errors into messages beside the right field.
 */
import { ApiRequestError } from '../server/api-client';

import type { ActionFailure, FieldErrors } from './action-result';

export type { ActionFailure, FieldErrors } from './action-result';

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; failure: ActionFailure };

const MONEY = /^\d{1,12}(?:\.\d{1,6})?$/;
const SIGNED_MONEY = /^[+-]?\d{1,12}(?:\.\d{1,6})?$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** An ISO-8601 instant with an explicit zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
/** What a datetime-local input posts: a wall time without a zone. */
const LOCAL_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

function valuesOf(form: FormData, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, text(form, n)]));
}

function failed<T>(form: string, fieldErrors: FieldErrors, values: Record<string, string>): Parsed<T> {
  return { ok: false, status: 400, failure: { form, message: null, fieldErrors, values } };
}

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

function reasonProblem(reason: string, required: boolean, max = 500): string | null {
  if (!reason) return required ? 'A reason is required' : null;
  if (reason.length > max) return `The reason must be at most ${max} characters`;
  return null;
}

// ---- wallet credit ----

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
    return {
      ok: false,
      status: 400,
      failure: {
        form: 'credit',
        message: 'The form is out of date: reload the page and try again',
        fieldErrors: errors,
        values,
      },
    };
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

// ---- plans ----

export interface PlanFormValue {
  name: string;
  providerPlanId: string;
  regions: string[];
  baseMonthlyPrice: string;
  markup: string;
  backupUpcharge: string;
  active: boolean;
}

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
  return toMicros(a) === toMicros(b);
}

export function toMicros(value: string): bigint | null {
  const match = /^([+-]?)(\d+)(?:\.(\d{1,6}))?$/.exec(normalizeMoneyInput(value));
  if (!match) return null;
  const micros = BigInt(match[2]) * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0'));
  return match[1] === '-' ? -micros : micros;
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

// ---- reconciliation ----

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
    return {
      ok: false,
      status: 400,
      failure: { form: 'resolve', message: 'No line was chosen', fieldErrors: errors, values },
    };
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

// ---- provisioning ----

export type ProvisioningActionName = 'retry' | 'abort' | 'terminate';

export interface ProvisioningActionValue {
  vpsId: string;
  action: ProvisioningActionName;
  reason?: string;
}

/**
 * Terminate ends the workflow without compensation and abort undoes what was done, so both need a reason (the
 * API records it); retry takes one optionally.
 */
export function parseProvisioningActionForm(form: FormData): Parsed<ProvisioningActionValue> {
  const values = valuesOf(form, ['vpsId', 'action', 'reason']);
  const action = values.action as ProvisioningActionName;
  if (!['retry', 'abort', 'terminate'].includes(action) || !UUID.test(values.vpsId)) {
    return {
      ok: false,
      status: 400,
      failure: { form: 'provisioning', message: 'Unknown server or action', fieldErrors: {}, values },
    };
  }
  const problem = reasonProblem(values.reason, action !== 'retry', 1000);
  if (problem) return failed('provisioning', { reason: problem }, values);
  return {
    ok: true,
    value: { vpsId: values.vpsId.toLowerCase(), action, ...(values.reason ? { reason: values.reason } : {}) },
  };
}

// ---- API errors ----

/** Field names the API uses that a form calls differently. */
const FIELD_ALIASES: Record<string, string> = { 'Idempotency-Key': 'idempotencyKey', atRevision: 'revision' };

/**
 * An API failure as the page shows it: messages for the fields the form has, the rest (or a failure that names
 * no field) beside the form's button. Anything but an ApiRequestError is a bug and is rethrown.
 */
export function failureFromApi(
  cause: unknown,
  form: string,
  fields: string[],
  values: Record<string, string> = {},
): { status: number; failure: ActionFailure } {
  if (!(cause instanceof ApiRequestError)) throw cause;
  const fieldErrors: FieldErrors = {};
  const rest: string[] = [];
  for (const [apiField, message] of Object.entries(cause.fieldErrors())) {
    const field = FIELD_ALIASES[apiField] ?? apiField;
    if (fields.includes(field)) fieldErrors[field] = message;
    else rest.push(message);
  }
  const message = Object.keys(fieldErrors).length && !rest.length ? null : rest.join('; ') || cause.message;
  const status = cause.status >= 400 && cause.status < 600 ? cause.status : 502;
  return { status, failure: { form, message, fieldErrors, values } };
}
