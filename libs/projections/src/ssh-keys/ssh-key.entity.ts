import { EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { SshKeyAlgorithm } from '@stratus/domain';

/** One SSH key of an organization (stream `sshkeys-<organizationId>`); a deleted key has no row. */
export interface SshKeyRow {
  [PrimaryKeyProp]?: 'keyId';
  keyId: string;
  organizationId: string;
  name: string;
  algorithm: SshKeyAlgorithm;
  bits: number;
  fingerprint: string;
  publicKey: string;
  /** Who added it (the event's actor). */
  addedBy: string | null;
  createdAt: Date;
}

export const SshKeyEntity = new EntitySchema<SshKeyRow>({
  name: 'SshKey',
  tableName: 'ssh_keys',
  indexes: [
    {
      name: 'ssh_keys_organization_created_index',
      expression:
        'create index "ssh_keys_organization_created_index" on "ssh_keys" ("organization_id", "created_at", "key_id")',
    },
  ],
  properties: {
    keyId: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    name: { type: 'string', columnType: 'text' },
    algorithm: { type: 'string', columnType: 'text' },
    bits: { type: 'integer', columnType: 'integer' },
    fingerprint: { type: 'string', columnType: 'text' },
    publicKey: { type: 'string', columnType: 'text' },
    addedBy: { type: 'string', columnType: 'text', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
