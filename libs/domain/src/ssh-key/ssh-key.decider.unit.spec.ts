import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  authorizedKeysFor,
  MAX_SSH_KEYS_PER_ORGANIZATION,
  sshKeysDecider,
  type AddSshKey,
  type SshKeyAdded,
  type SshKeyCommand,
  type SshKeyDeleted,
} from './ssh-key.decider';
import { SAMPLE_SSH_KEYS } from './testing/ssh-key-samples';

const spec = DeciderSpecification.for(sshKeysDecider);
const ORG = 'org-1';
const owner = metadataFor('user-1');

type Sample = keyof typeof SAMPLE_SSH_KEYS;
const add = (keyId: string, sample: Sample = 'ed25519', name: unknown = 'Laptop'): AddSshKey => ({
  type: 'AddSshKey',
  data: {
    organizationId: ORG,
    keyId,
    name,
    publicKey: SAMPLE_SSH_KEYS[sample].publicKey,
    fingerprint: SAMPLE_SSH_KEYS[sample].fingerprint,
  },
  metadata: owner,
});
const remove = (keyId: string): SshKeyCommand => ({
  type: 'DeleteSshKey',
  data: { organizationId: ORG, keyId },
  metadata: owner,
});
const added = (keyId: string, sample: Sample = 'ed25519', name = 'Laptop'): SshKeyAdded => {
  const [algorithm] = SAMPLE_SSH_KEYS[sample].publicKey.split(' ');
  const bits = { ed25519: 256, ecdsa256: 256, ecdsa384: 384, ecdsa521: 521, rsa2048: 2048, rsa3072: 3072 }[
    sample as 'ed25519'
  ];
  return {
    type: 'SshKeyAdded',
    data: {
      organizationId: ORG,
      keyId,
      name,
      algorithm: algorithm as SshKeyAdded['data']['algorithm'],
      bits,
      fingerprint: SAMPLE_SSH_KEYS[sample].fingerprint,
      publicKey: SAMPLE_SSH_KEYS[sample].publicKey,
    },
  };
};
const deleted = (keyId: string, sample: Sample = 'ed25519', name = 'Laptop'): SshKeyDeleted => ({
  type: 'SshKeyDeleted',
  data: { organizationId: ORG, keyId, name, fingerprint: SAMPLE_SSH_KEYS[sample].fingerprint },
});

describe('ssh keys decider', () => {
  describe('no keys yet', () => {
    it.each<[Sample]>([['ed25519'], ['ecdsa256'], ['ecdsa384'], ['ecdsa521'], ['rsa2048'], ['rsa3072']])(
      'adds a %s key with its type, size, fingerprint and authorized_keys line',
      (sample) => {
        spec
          .given([])
          .when(add('k1', sample))
          .then([added('k1', sample)]);
      },
    );

    it('trims the name and the pasted line', () => {
      const pasted = `\n  ${SAMPLE_SSH_KEYS.ed25519.publicKey}  \n`;
      spec
        .given([])
        .when({ ...add('k1', 'ed25519', '  Laptop '), data: { ...add('k1').data, publicKey: pasted } })
        .then([added('k1')]);
    });

    it('refuses an RSA key under 2048 bits as weak_public_key, and a DSA key as unsupported_key_type', () => {
      spec
        .given([])
        .when(add('k1', 'rsa1024'))
        .thenThrows('validation', 'weak_public_key', { bits: 1024, minBits: 2048 });
      spec.given([]).when(add('k1', 'dsa')).thenThrows('validation', 'unsupported_key_type');
    });

    it('refuses a malformed key, a blank or long name, and a malformed fingerprint', () => {
      spec
        .given([])
        .when({ ...add('k1'), data: { ...add('k1').data, publicKey: 'ssh-ed25519 AAAA' } })
        .thenThrows('validation', 'invalid_public_key', { field: 'publicKey' });
      spec
        .given([])
        .when(add('k1', 'ed25519', '  '))
        .thenThrows('validation', 'invalid_name');
      spec
        .given([])
        .when(add('k1', 'ed25519', 'x'.repeat(101)))
        .thenThrows('validation', 'invalid_name');
      spec
        .given([])
        .when({ ...add('k1'), data: { ...add('k1').data, fingerprint: 'MD5:aa:bb' } })
        .thenThrows('validation', 'invalid_fingerprint');
    });

    it('DeleteSshKey is not_found', () => {
      spec.given([]).when(remove('k1')).thenThrows('not_found', 'ssh_key_not_found', { keyId: 'k1' });
    });
  });

  describe('with keys', () => {
    it('adds another key', () => {
      spec
        .given([added('k1')])
        .when(add('k2', 'ecdsa256', 'CI'))
        .then([added('k2', 'ecdsa256', 'CI')]);
    });

    it('refuses the same key again, whatever its comment or name, naming the one already added', () => {
      spec
        .given([added('k1')])
        .when(add('k2', 'ed25519', 'Again'))
        .thenThrows('conflict', 'ssh_key_duplicate', {
          keyId: 'k1',
          fingerprint: SAMPLE_SSH_KEYS.ed25519.fingerprint,
        });
      const otherComment = `${SAMPLE_SSH_KEYS.ed25519.publicKey.split(' ').slice(0, 2).join(' ')} elsewhere`;
      spec
        .given([added('k1')])
        .when({ ...add('k2'), data: { ...add('k2').data, publicKey: otherComment } })
        .thenThrows('conflict', 'ssh_key_duplicate');
    });

    it('records nothing for the same add again (a retried request); another key under that id is a conflict', () => {
      spec
        .given([added('k1')])
        .when(add('k1'))
        .then([]);
      spec
        .given([added('k1')])
        .when(add('k1', 'rsa2048'))
        .thenThrows('conflict', 'ssh_key_exists');
    });

    it(`refuses a key beyond ${MAX_SSH_KEYS_PER_ORGANIZATION}`, () => {
      // The same key under many ids stands for many keys here: the count is what is checked.
      const many = Array.from({ length: MAX_SSH_KEYS_PER_ORGANIZATION }, (_, i) => ({
        ...added(`k${i}`, 'rsa2048'),
        data: { ...added(`k${i}`, 'rsa2048').data, publicKey: `ssh-rsa AAAA${i}` },
      }));
      spec.given(many).when(add('last')).thenThrows('conflict', 'too_many_ssh_keys');
    });

    it('deletes a key with its name and fingerprint; the key can then be added again', () => {
      spec
        .given([added('k1')])
        .when(remove('k1'))
        .then([deleted('k1')]);
      spec
        .given([added('k1'), deleted('k1')])
        .when(add('k2'))
        .then([added('k2')]);
      spec
        .given([added('k1'), deleted('k1')])
        .when(remove('k1'))
        .thenThrows('not_found', 'ssh_key_not_found');
    });
  });

  describe('authorizedKeysFor', () => {
    it('gives the lines of the keys asked for, in order, and names the ids the organization does not have', () => {
      const state = stateAfter(sshKeysDecider, [added('k1'), added('k2', 'ecdsa256'), deleted('k1')]);
      expect(authorizedKeysFor(state, ['k2', 'k1', 'other-org-key'])).toEqual({
        publicKeys: [SAMPLE_SSH_KEYS.ecdsa256.publicKey],
        missing: ['k1', 'other-org-key'],
      });
      expect(authorizedKeysFor(sshKeysDecider.initialState(), [])).toEqual({ publicKeys: [], missing: [] });
    });
  });
});
