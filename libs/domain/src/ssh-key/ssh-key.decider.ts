import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { SshKeyEvent } from './ssh-key.events';
import { MIN_RSA_KEY_BITS, parseSshPublicKey } from './ssh-public-key';

export * from './ssh-key.events';
export * from './ssh-public-key';

export const MAX_SSH_KEYS_PER_ORGANIZATION = 100;
export const MAX_SSH_KEY_NAME_LENGTH = 100;
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Customer commands, authorized by the API (ssh_keys_manage). `publicKey` is the text as pasted (the decider
 * parses it); `fingerprint` is the SHA-256 of its blob, computed by the caller (the domain has no hash).
 */
export type AddSshKey = Command<
  'AddSshKey',
  { organizationId: string; keyId: string; name: unknown; publicKey: unknown; fingerprint: string }
>;
export type DeleteSshKey = Command<'DeleteSshKey', { organizationId: string; keyId: string }>;
export type SshKeyCommand = AddSshKey | DeleteSshKey;

export interface SshKeyEntry {
  keyId: string;
  name: string;
  fingerprint: string;
  /** Base64 key blob: the key's identity (two lines with other comments are the same key). */
  blob: string;
  publicKey: string;
}

export type SshKeysState =
  { status: 'none' } | { status: 'listed'; organizationId: string; keys: SshKeyEntry[] };

const blobOf = (publicKey: string) => publicKey.split(' ')[1] ?? '';

export function evolveSshKeys(state: SshKeysState, event: SshKeyEvent): SshKeysState {
  const keys = state.status === 'listed' ? state.keys : [];
  switch (event.type) {
    case 'SshKeyAdded': {
      const { keyId, name, fingerprint, publicKey, organizationId } = event.data;
      return {
        status: 'listed',
        organizationId,
        keys: [...keys, { keyId, name, fingerprint, publicKey, blob: blobOf(publicKey) }],
      };
    }
    case 'SshKeyDeleted':
      return {
        status: 'listed',
        organizationId: event.data.organizationId,
        keys: keys.filter((key) => key.keyId !== event.data.keyId),
      };
    default:
      return assertNever(event);
  }
}

function decideSshKeys(command: SshKeyCommand, state: SshKeysState): SshKeyEvent[] {
  const organizationId = requireId(command.data.organizationId, 'organizationId');
  const keyId = requireId(command.data.keyId, 'keyId');
  const keys = state.status === 'listed' ? state.keys : [];
  switch (command.type) {
    case 'AddSshKey': {
      const name = requireText(command.data.name, 'name', 'invalid_name', MAX_SSH_KEY_NAME_LENGTH);
      const key = parseSshPublicKey(command.data.publicKey);
      if (key.algorithm === 'ssh-rsa' && key.bits < MIN_RSA_KEY_BITS) {
        throw new DomainError(
          'validation',
          'weak_public_key',
          `RSA keys must have at least ${MIN_RSA_KEY_BITS} bits (this one has ${key.bits}); an ed25519 key is better`,
          { field: 'publicKey', bits: key.bits, minBits: MIN_RSA_KEY_BITS },
        );
      }
      const fingerprint = command.data.fingerprint;
      if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
        throw new DomainError('validation', 'invalid_fingerprint', 'fingerprint must be SHA256:<base64>', {
          field: 'fingerprint',
        });
      }
      const sameId = keys.find((existing) => existing.keyId === keyId);
      // The same command again (a retried request) records nothing; another key under that id is a bug.
      if (sameId) {
        if (sameId.blob === key.blob) return [];
        throw new DomainError('conflict', 'ssh_key_exists', 'A key with this id already exists', { keyId });
      }
      const duplicate = keys.find((existing) => existing.blob === key.blob);
      if (duplicate) {
        throw new DomainError(
          'conflict',
          'ssh_key_duplicate',
          `This key is already added as "${duplicate.name}"`,
          { keyId: duplicate.keyId, fingerprint: duplicate.fingerprint },
        );
      }
      if (keys.length >= MAX_SSH_KEYS_PER_ORGANIZATION) {
        throw new DomainError(
          'conflict',
          'too_many_ssh_keys',
          `An organization can have at most ${MAX_SSH_KEYS_PER_ORGANIZATION} SSH keys; delete one first`,
          { max: MAX_SSH_KEYS_PER_ORGANIZATION },
        );
      }
      return [
        {
          type: 'SshKeyAdded',
          data: {
            organizationId,
            keyId,
            name,
            algorithm: key.algorithm,
            bits: key.bits,
            fingerprint,
            publicKey: key.text,
          },
        },
      ];
    }
    case 'DeleteSshKey': {
      const existing = keys.find((key) => key.keyId === keyId);
      if (!existing) throw sshKeyNotFound(keyId);
      return [
        {
          type: 'SshKeyDeleted',
          data: { organizationId, keyId, name: existing.name, fingerprint: existing.fingerprint },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

const sshKeyNotFound = (keyId: string) =>
  new DomainError('not_found', 'ssh_key_not_found', 'SSH key not found', { keyId });

/** The organization's SSH keys: add (parsed, checked, no duplicates), delete. */
export const sshKeysDecider: Decider<SshKeysState, SshKeyCommand, SshKeyEvent> = {
  decide: decideSshKeys,
  evolve: evolveSshKeys,
  initialState: () => ({ status: 'none' }),
};

/**
 * The authorized_keys lines of these keys, in the order asked for; ids the organization does not have (another
 * organization's, deleted, unknown) are `missing`.
 */
export function authorizedKeysFor(
  state: SshKeysState,
  keyIds: readonly string[],
): { publicKeys: string[]; missing: string[] } {
  const keys = state.status === 'listed' ? state.keys : [];
  const publicKeys: string[] = [];
  const missing: string[] = [];
  for (const keyId of keyIds) {
    const key = keys.find((candidate) => candidate.keyId === keyId);
    if (key) publicKeys.push(key.publicKey);
    else missing.push(keyId);
  }
  return { publicKeys, missing };
}
