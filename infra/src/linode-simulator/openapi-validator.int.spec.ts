import { loadLinodeSpecValidator, LinodeSpecValidator, translateSchema } from './openapi-validator';

let spec: LinodeSpecValidator;
beforeAll(async () => {
  spec = await loadLinodeSpecValidator();
});

describe('translateSchema', () => {
  it('turns nullable into a null type and drops read-only properties from requests', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string', nullable: true, example: 'x' },
      },
    };
    expect(translateSchema(schema, 'request')).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: ['string', 'null'] } },
    });
  });

  it('merges allOf object branches that close themselves', () => {
    const merged = translateSchema(
      {
        allOf: [
          { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
          { properties: { b: { type: 'string' } } },
        ],
        required: ['b'],
      },
      'request',
    );
    expect(merged).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['b'],
      properties: { a: { type: 'string' }, b: { type: 'string' } },
    });
  });
});

describe('the Linode spec validator', () => {
  it('accepts a well-formed create body and rejects unknown or mistyped fields', () => {
    const good = {
      label: 'web-1',
      region: 'us-east',
      type: 'g6-nanode-1',
      image: 'linode/debian12',
      root_pass: 'secretpass1',
      tags: ['stratus'],
    };
    expect(spec.validateRequest('POST', '/v4/linode/instances', good).errors).toEqual([]);
    const bad = spec.validateRequest('POST', '/v4/linode/instances', { ...good, region: 5, colour: 'red' });
    expect(bad.valid).toBe(false);
    expect(bad.errors.join('\n')).toMatch(/colour/);
    expect(bad.errors.join('\n')).toMatch(/region/);
    expect(spec.validateRequest('POST', '/v4/linode/instances', { label: 'x' }).valid).toBe(false); // type, region
  });

  it('checks path, query and X-Filter parameters', () => {
    expect(spec.validateRequest('GET', '/v4/linode/instances/12', undefined).valid).toBe(true);
    expect(spec.validateRequest('GET', '/v4/linode/instances/abc', undefined).valid).toBe(false);
    expect(spec.validateRequest('GET', '/v4/linode/instances?page=1&page_size=10', undefined).valid).toBe(
      false,
    );
    expect(
      spec.validateRequest('GET', '/v4/linode/instances?page=2&page_size=25', undefined, {
        'X-Filter': '{"tags":"a"}',
      }).errors,
    ).toEqual([]);
    expect(spec.validateRequest('POST', '/v4/linode/instances/12/shutdown', { config_id: 1 }).valid).toBe(
      false,
    );
  });

  it('rejects responses with fields the spec does not have', () => {
    expect(spec.validateResponse('DELETE', '/v4/linode/instances/1', 200, {}).valid).toBe(true);
    expect(spec.validateResponse('DELETE', '/v4/linode/instances/1', 200, { ok: true }).valid).toBe(false);
    expect(
      spec.validateResponse('GET', '/v4/linode/instances/1', 404, { errors: [{ reason: 'Not found' }] })
        .valid,
    ).toBe(true);
    expect(
      spec.validateResponse('GET', '/v4/linode/instances/1', 200, { id: '1', status: 'weird' }).errors.length,
    ).toBe(2);
  });
});
