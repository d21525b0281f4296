import { loadPayPalSpecValidator, PayPalSpecValidator } from './paypal-spec-validator';

let spec: PayPalSpecValidator;
beforeAll(async () => {
  spec = await loadPayPalSpecValidator();
});

describe('the PayPal spec validator', () => {
  it('accepts a well-formed order and rejects a malformed amount', () => {
    const order = {
      intent: 'CAPTURE',
      purchase_units: [{ reference_id: 'p1', amount: { currency_code: 'USD', value: '20.00' } }],
    };
    expect(
      spec.validateRequest('POST', '/v2/checkout/orders', order, { 'PayPal-Request-Id': 'abc' }).errors,
    ).toEqual([]);
    const bad = spec.validateRequest('POST', '/v2/checkout/orders', {
      ...order,
      purchase_units: [{ amount: { currency_code: 'DOLLARS', value: 'twenty' } }],
    });
    expect(bad.errors.join('\n')).toMatch(/currency_code/);
    expect(bad.errors.join('\n')).toMatch(/value/);
    expect(spec.validateRequest('GET', '/v2/checkout/orders/lowercase', undefined).valid).toBe(false);
  });

  it('checks webhook events and verify-webhook-signature answers', () => {
    expect(spec.validateSchema('event', { id: 'WH-1', event_type: 'X', resource: {} }).errors).toEqual([]);
    expect(spec.validateSchema('event', { id: 1 }).valid).toBe(false);
    expect(
      spec.validateResponse('POST', '/v1/notifications/verify-webhook-signature', 200, {
        verification_status: 'SUCCESS',
      }).errors,
    ).toEqual([]);
    expect(
      spec.validateResponse('POST', '/v1/notifications/verify-webhook-signature', 200, {
        verification_status: 'MAYBE',
      }).valid,
    ).toBe(false);
  });
});
