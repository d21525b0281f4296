import { SecretBox } from '@stratus/infra';
import { ApiError } from '../../../shared/errors/api-error';
import { idempotencyRecord, requireIdempotencyKey, vpsIdFor, type CreateVpsBody } from './idempotency';

const body: CreateVpsBody = {
  label: 'web-1',
  planId: '11111111-1111-4111-8111-111111111111',
  region: 'us-east',
  image: 'linode/debian12',
  rootPassword: 'Correct-Horse-42',
  sshKeyIds: ['a', 'b'],
  backups: false,
};

describe('create idempotency', () => {
  const key = SecretBox.generateKey();

  it('derives one server id per organization and key', () => {
    expect(vpsIdFor('org-1', 'k')).toBe(vpsIdFor('org-1', 'k'));
    expect(vpsIdFor('org-1', 'k')).not.toBe(vpsIdFor('org-2', 'k'));
    expect(vpsIdFor('org-1', 'k')).not.toBe(vpsIdFor('org-1', 'k2'));
  });

  it('records the same value for the same body and another for any changed field, never the password', () => {
    const record = idempotencyRecord('k', body, key);
    expect(record).toMatch(/^v1:[0-9a-f]{64}:k$/);
    expect(record).not.toContain(body.rootPassword);
    expect(idempotencyRecord('k', { ...body }, key)).toBe(record);
    for (const changed of [
      { label: 'web-2' },
      { region: 'eu-west' },
      { image: 'linode/debian11' },
      { rootPassword: 'Correct-Horse-43' },
      { sshKeyIds: ['b', 'a'] },
      { backups: true },
    ]) {
      expect(idempotencyRecord('k', { ...body, ...changed }, key)).not.toBe(record);
    }
    // Keyed: without the secrets key the stored value says nothing about the password.
    expect(idempotencyRecord('k', body, SecretBox.generateKey())).not.toBe(record);
  });

  it('requires a sane Idempotency-Key header', () => {
    expect(requireIdempotencyKey('abc-123')).toBe('abc-123');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(201), 'é']) {
      const error = (() => {
        try {
          requireIdempotencyKey(bad);
        } catch (e) {
          return e as ApiError;
        }
        return null;
      })();
      expect(error?.getStatus()).toBe(400);
    }
  });
});
