import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from '@stratus/domain';
import { WrongExpectedRevisionError, ConcurrencyConflictError } from '@stratus/eventstore';
import { ApiError } from './api-error';
import { mapError } from './api-exception.filter';
import { validationFailed } from './validation';

describe('mapError', () => {
  test.each([
    ['validation', 400],
    ['not_found', 404],
    ['forbidden', 403],
    ['conflict', 409],
    ['unauthorized', 401],
    ['insufficient_funds', 402],
  ] as const)('DomainError %s -> %i with the reason as error code', (code, status) => {
    const mapped = mapError(new DomainError(code, 'some_reason', 'Some message', { field: 'x' }));
    expect(mapped).toEqual({
      status,
      body: { error: 'some_reason', message: 'Some message', details: { field: 'x' } },
      headers: {},
      unexpected: false,
    });
  });

  test('a rate-limited DomainError is a 429 with Retry-After', () => {
    const mapped = mapError(
      new DomainError('rate_limited', 'too_many_attempts', 'Slow down', { retryAfterSeconds: 42 }),
    );
    expect(mapped).toMatchObject({
      status: 429,
      body: { error: 'too_many_attempts', details: { retryAfterSeconds: 42 } },
      headers: { 'Retry-After': '42' },
    });
  });

  test('ApiError keeps status, code, details and headers', () => {
    const mapped = mapError(
      new ApiError(429, 'too_many_attempts', 'Slow down', { retryAfterSeconds: 5 }, { 'Retry-After': '5' }),
    );
    expect(mapped.status).toBe(429);
    expect(mapped.body).toEqual({
      error: 'too_many_attempts',
      message: 'Slow down',
      details: { retryAfterSeconds: 5 },
    });
    expect(mapped.headers).toEqual({ 'Retry-After': '5' });
  });

  test('class-validator failures become validation_failed with per-field details', () => {
    const mapped = mapError(
      validationFailed([
        { property: 'amount', constraints: { isString: 'amount must be a decimal string' }, children: [] },
        { property: 'reason', constraints: { isLength: 'reason must be 1 to 500 characters' }, children: [] },
      ]),
    );
    expect(mapped.status).toBe(400);
    expect(mapped.body.error).toBe('validation_failed');
    expect(mapped.body.details).toEqual({
      fields: [
        { field: 'amount', problems: ['amount must be a decimal string'] },
        { field: 'reason', problems: ['reason must be 1 to 500 characters'] },
      ],
    });
  });

  test('malformed JSON from the body parser -> 400 malformed_json', () => {
    const error = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
      status: 400,
      expose: true,
      type: 'entity.parse.failed',
    });
    expect(mapError(error)).toMatchObject({
      status: 400,
      body: { error: 'malformed_json' },
      unexpected: false,
    });
  });

  test('oversized body -> 413 payload_too_large', () => {
    const error = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
    });
    expect(mapError(error)).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(mapError(new PayloadTooLargeException())).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large' },
    });
  });

  test('Nest HTTP exceptions keep their status (unknown route -> 404 not_found)', () => {
    expect(mapError(new NotFoundException('Cannot GET /api/nope'))).toMatchObject({
      status: 404,
      body: { error: 'not_found', message: 'Cannot GET /api/nope', details: null },
    });
    expect(mapError(new BadRequestException(['a is bad', 'b is bad']))).toMatchObject({
      status: 400,
      body: { error: 'bad_request', message: 'a is bad; b is bad' },
    });
  });

  test('lost concurrency races -> 409 conflict', () => {
    expect(mapError(new ConcurrencyConflictError('wallet-1', 5))).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    expect(mapError(new WrongExpectedRevisionError('wallet-1', 3n, 4n))).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
  });

  test('anything else -> 500 internal_error, flagged for logging, message hidden', () => {
    const mapped = mapError(new TypeError('cannot read properties of undefined (secret internals)'));
    expect(mapped.status).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(mapped.body).toEqual({ error: 'internal_error', message: 'Internal error', details: null });
    expect(mapError('a string')).toMatchObject({ status: 500, unexpected: true });
    expect(mapError(null)).toMatchObject({ status: 500, unexpected: true });
  });

  test('a 5xx-looking object from a library is not trusted as a client error', () => {
    expect(mapError({ status: 503, expose: false, message: 'db down' })).toMatchObject({
      status: 500,
      unexpected: true,
    });
  });
});
