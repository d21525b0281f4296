import type { DomainEvent } from '../shared/decider';
import type { SshKeyAlgorithm } from './ssh-public-key';

/** Stream `sshkeys-<organizationId>`: the organization's SSH public keys. */
export type SshKeyAdded = DomainEvent<
  'SshKeyAdded',
  {
    organizationId: string;
    keyId: string;
    name: string;
    algorithm: SshKeyAlgorithm;
    bits: number;
    /** `SHA256:<base64 without padding>` of the key blob, as `ssh-keygen -l` shows it. */
    fingerprint: string;
    /** The authorized_keys line sent to the provider (`<algorithm> <blob>[ <comment>]`). Public, not a secret. */
    publicKey: string;
  }
>;
export type SshKeyDeleted = DomainEvent<
  'SshKeyDeleted',
  { organizationId: string; keyId: string; name: string; fingerprint: string }
>;

export type SshKeyEvent = SshKeyAdded | SshKeyDeleted;
