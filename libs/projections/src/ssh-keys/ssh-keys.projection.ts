import { assertNever, type SshKeyEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { SshKeyEntity, type SshKeyRow } from './ssh-key.entity';

export const SSH_KEY_EVENT_TYPES = [
  'SshKeyAdded',
  'SshKeyDeleted',
] as const satisfies readonly SshKeyEvent['type'][];

/** The organizations' SSH keys, for their list (the servers' create form picks from it). */
export const sshKeysProjection: Projection<SshKeyRow> = {
  name: 'ssh-keys',
  entity: SshKeyEntity,
  handles: SSH_KEY_EVENT_TYPES,
  keyOf: (event) => asRecorded<SshKeyEvent>(event).data.keyId,
  evolve(_row, recorded) {
    const event = asRecorded<SshKeyEvent>(recorded);
    switch (event.type) {
      case 'SshKeyAdded': {
        const { keyId, organizationId, name, algorithm, bits, fingerprint, publicKey } = event.data;
        const actor = event.metadata.actor?.userId;
        return {
          keyId,
          organizationId,
          name,
          algorithm,
          bits,
          fingerprint,
          publicKey,
          addedBy: typeof actor === 'string' ? actor : null,
          createdAt: occurredAt(event),
        };
      }
      case 'SshKeyDeleted':
        return null;
      default:
        return assertNever(event);
    }
  },
};
