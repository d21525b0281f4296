import { ApiRequestError } from '../server/api-client';
import { failureOf } from './action-result';
import {
  failureFromApi,
  instantField,
  moneyProblem,
  parseCreditForm,
  parsePlanForm,
  parseProvisioningActionForm,
  parseReconciliationForm,
  parseResolveForm,
  planChanges,
  sameMoney,
  splitRegions,
  toMicros,
} from './forms';

const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
};
const VPS = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('parseCreditForm', () => {
  test('a typed amount becomes a plain decimal string; the idempotency key is carried', () => {
    expect(
      parseCreditForm(formOf({ amount: ' $1,250.50 ', reason: ' Goodwill ', idempotencyKey: 'k-1' })),
    ).toEqual({
      ok: true,
      value: { amount: '1250.50', reason: 'Goodwill', idempotencyKey: 'k-1' },
    });
  });

  test.each([
    ['', 'Amount is required'],
    ['0', 'Amount must not be zero'],
    ['0.000000', 'Amount must not be zero'],
    ['-5', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
    ['1.2345678', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
    ['1e3', 'Amount must be a dollar amount with at most 6 decimals, such as 25.00'],
  ])('amount %j: %s, beside the field, what was typed kept', (amount, message) => {
    const parsed = parseCreditForm(formOf({ amount, reason: 'r', idempotencyKey: 'k' }));
    expect(parsed).toEqual({
      ok: false,
      status: 400,
      failure: {
        form: 'credit',
        message: null,
        fieldErrors: { amount: message },
        values: { amount, reason: 'r', idempotencyKey: 'k' },
      },
    });
  });

  test('a reason is required and bounded', () => {
    const missing = parseCreditForm(formOf({ amount: '5', reason: '  ', idempotencyKey: 'k' }));
    expect(!missing.ok && missing.failure.fieldErrors).toEqual({ reason: 'A reason is required' });
    const long = parseCreditForm(formOf({ amount: '5', reason: 'x'.repeat(501), idempotencyKey: 'k' }));
    expect(!long.ok && long.failure.fieldErrors.reason).toMatch(/at most 500/);
  });

  test('a missing idempotency key means a stale form: reload rather than risk a double credit', () => {
    const parsed = parseCreditForm(formOf({ amount: '5', reason: 'r' }));
    expect(!parsed.ok && parsed.failure.message).toBe(
      'The form is out of date: reload the page and try again',
    );
  });
});

describe('plans', () => {
  const valid = {
    name: 'Nano',
    providerPlanId: 'g6-nanode-1',
    regions: 'us-east, eu-west  ap-south',
    baseMonthlyPrice: '5',
    markup: '0',
    backupUpcharge: '2.00',
    active: 'on',
  };

  test('parses regions and money; markup and backups may be zero', () => {
    expect(parsePlanForm(formOf(valid))).toEqual({
      ok: true,
      value: {
        name: 'Nano',
        providerPlanId: 'g6-nanode-1',
        regions: ['us-east', 'eu-west', 'ap-south'],
        baseMonthlyPrice: '5',
        markup: '0',
        backupUpcharge: '2.00',
        active: true,
      },
    });
    const { active: _active, ...inactive } = valid;
    expect(parsePlanForm(formOf(inactive))).toMatchObject({ ok: true, value: { active: false } });
  });

  test('every bad field gets its own message', () => {
    const parsed = parsePlanForm(
      formOf({
        ...valid,
        name: '',
        providerPlanId: 'G6 Nanode',
        regions: 'us-east us-east',
        baseMonthlyPrice: '0',
      }),
      'create',
    );
    expect(!parsed.ok && parsed.failure).toMatchObject({
      form: 'create',
      fieldErrors: {
        name: 'A name is required',
        providerPlanId: expect.stringContaining('provider type id'),
        regions: 'A region is listed twice',
        baseMonthlyPrice: 'Base monthly price must not be zero',
      },
    });
    expect(splitRegions(' a,,b  c ')).toEqual(['a', 'b', 'c']);
  });

  test('an edit sends only what changed; 5 and 5.000000 are the same price', () => {
    const before = {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.000000',
      markup: '1.000000',
      backupUpcharge: '2.000000',
      active: true,
    };
    const after = { ...before, baseMonthlyPrice: '5', markup: '1.5', regions: ['us-east', 'eu-west'] };
    expect(planChanges(before, after)).toEqual({ markup: '1.5', regions: ['us-east', 'eu-west'] });
    expect(planChanges(before, { ...before })).toEqual({});
  });
});

describe('money helpers (never floats)', () => {
  test('toMicros and sameMoney', () => {
    expect(toMicros('0.1')).toBe(100_000n);
    expect(toMicros('-0.000001')).toBe(-1n);
    expect(toMicros('90071992547409.930001')).toBe(90_071_992_547_409_930_001n);
    expect(toMicros('abc')).toBeNull();
    expect(sameMoney('0.1', '0.100000')).toBe(true);
    expect(sameMoney('0.1', '0.1000001')).toBe(false);
  });
  test('signed amounts only where allowed', () => {
    expect(moneyProblem('-1.5', { field: 'Adjustment', signed: true })).toBeNull();
    expect(moneyProblem('-1.5', { field: 'Amount' })).not.toBeNull();
  });
});

describe('times from forms', () => {
  test('the browser-filled ISO field wins; a bare wall time without script is read as UTC', () => {
    expect(
      instantField(formOf({ from: '2026-11-30T05:00', fromIso: '2026-11-30T04:00:00.000Z' }), 'from'),
    ).toBe('2026-11-30T04:00:00.000Z');
    expect(instantField(formOf({ from: '2026-11-30T05:00' }), 'from')).toBe('2026-11-30T05:00:00.000Z');
    expect(instantField(formOf({ from: '2026-11-30T05:00:00+01:00' }), 'from')).toBe(
      '2026-11-30T04:00:00.000Z',
    );
    expect(instantField(formOf({ from: 'yesterday' }), 'from')).toBe('invalid');
    expect(instantField(formOf({}), 'from')).toBeNull();
  });

  test('a reconciliation needs a start before its end; the organization is optional', () => {
    expect(
      parseReconciliationForm(
        formOf({
          fromIso: '2026-11-29T00:00:00.000Z',
          toIso: '2026-11-30T00:00:00.000Z',
          organizationId: '',
        }),
      ),
    ).toEqual({ ok: true, value: { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' } });
    const reversed = parseReconciliationForm(
      formOf({
        fromIso: '2026-11-30T00:00:00.000Z',
        toIso: '2026-11-29T00:00:00.000Z',
        organizationId: 'acme',
      }),
    );
    expect(!reversed.ok && reversed.failure.fieldErrors).toEqual({
      to: 'The end must be after the start',
      organizationId: expect.stringContaining('UUID'),
    });
    const empty = parseReconciliationForm(formOf({}));
    expect(!empty.ok && Object.keys(empty.failure.fieldErrors).sort()).toEqual(['from', 'to']);
  });
});

describe('resolving a reconciliation line', () => {
  test('a reason is required; the amount is optional and signed', () => {
    expect(parseResolveForm(formOf({ lineId: 'l1', reason: 'Duplicate refunded', amount: '' }))).toEqual({
      ok: true,
      value: { lineId: 'l1', reason: 'Duplicate refunded' },
    });
    expect(parseResolveForm(formOf({ lineId: 'l1', reason: 'r', amount: '-0.008219' }))).toMatchObject({
      ok: true,
      value: { amount: '-0.008219' },
    });
    const noReason = parseResolveForm(formOf({ lineId: 'l1', reason: '', amount: 'abc' }));
    expect(!noReason.ok && noReason.failure.fieldErrors).toEqual({
      reason: 'A reason is required',
      amount: expect.stringContaining('dollar amount'),
    });
  });
});

describe('provisioning actions', () => {
  test('terminate and abort require a reason; retry does not', () => {
    expect(parseProvisioningActionForm(formOf({ vpsId: VPS, action: 'retry' }))).toEqual({
      ok: true,
      value: { vpsId: VPS, action: 'retry' },
    });
    for (const action of ['abort', 'terminate']) {
      const parsed = parseProvisioningActionForm(formOf({ vpsId: VPS, action, reason: ' ' }));
      expect(!parsed.ok && parsed.failure.fieldErrors).toEqual({ reason: 'A reason is required' });
    }
    expect(
      parseProvisioningActionForm(formOf({ vpsId: VPS.toUpperCase(), action: 'terminate', reason: 'Lost' })),
    ).toEqual({ ok: true, value: { vpsId: VPS, action: 'terminate', reason: 'Lost' } });
  });

  test('an unknown action or server is refused before the API is called', () => {
    const parsed = parseProvisioningActionForm(formOf({ vpsId: VPS, action: 'delete' }));
    expect(!parsed.ok && parsed.failure.message).toBe('Unknown server or action');
    expect(parseProvisioningActionForm(formOf({ vpsId: '../x', action: 'retry' })).ok).toBe(false);
  });
});

describe('failureFromApi', () => {
  test("field messages go beside the form's fields, the rest beside its button", () => {
    const error = new ApiRequestError(400, 'validation_failed', 'x', {
      fields: [
        { field: 'amount', problems: ['amount must be a decimal string'] },
        { field: 'currency', problems: ['currency is unknown'] },
      ],
    });
    expect(failureFromApi(error, 'credit', ['amount', 'reason'], { amount: '1' })).toEqual({
      status: 400,
      failure: {
        form: 'credit',
        message: 'currency is unknown',
        fieldErrors: { amount: 'amount must be a decimal string' },
        values: { amount: '1' },
      },
    });
  });

  test('an error naming no field is the message; the API status is kept', () => {
    const conflict = new ApiRequestError(
      409,
      'idempotency_key_reused',
      'This Idempotency-Key was already used',
      {
        header: 'Idempotency-Key',
      },
    );
    expect(failureFromApi(conflict, 'credit', ['amount', 'reason'])).toMatchObject({
      status: 409,
      failure: { message: 'This Idempotency-Key was already used', fieldErrors: {} },
    });
    const unreachable = new ApiRequestError(503, 'api_unreachable', 'The API could not be reached');
    expect(failureFromApi(unreachable, 'provisioning', [])).toMatchObject({
      status: 503,
      failure: { message: 'The API could not be reached' },
    });
  });

  test('a bug is not dressed up as an API error', () => {
    expect(() => failureFromApi(new TypeError('oops'), 'credit', [])).toThrow('oops');
  });

  test('failureOf picks the failure out of the page form prop', () => {
    const failure = { form: 'resolve', message: null, fieldErrors: {}, values: {} };
    expect(failureOf(failure)).toBe(failure);
    expect(failureOf(failure, 'credit')).toBeNull();
    expect(failureOf({ form: 'credit', credited: {} })).toBeNull();
    expect(failureOf(null)).toBeNull();
  });
});
