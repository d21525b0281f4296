import { BigIntType, EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';
import type { VpsOperation, VpsOperationKind } from '@stratus/domain';

/** Lifecycle of a server as customers see it. */
export const VPS_STATUSES = [
  'provisioning',
  'stuck',
  'active',
  'failed',
  'suspended',
  'deleting',
  'deleted',
] as const;
export type VpsStatus = (typeof VPS_STATUSES)[number];

/** How the server's last operation ended (the portal says when one failed, and why). */
export interface VpsLastOperation {
  operationId: string;
  kind: VpsOperationKind;
  outcome: 'completed' | 'failed';
  reason: string | null;
  finishedAt: string;
}

/** One row per server: the organization's list and the server's detail page. Never holds the root password. */
export interface VpsServerRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  organizationId: string;
  label: string;
  status: VpsStatus;
  planId: string;
  providerPlanId: string;
  region: string;
  image: string;
  backups: boolean;
  sshKeyIds: string[];
  /** The server's price, micro-dollars: at creation, then its resizes' and backup toggles' (from the next period). */
  hourlyPrice: bigint;
  monthlyPrice: bigint;
  workflowId: string;
  billingWorkflowId: string | null;
  providerInstanceId: string | null;
  ipv4: string | null;
  provisioningStage: string | null;
  provisioningAttempt: number;
  /** Why provisioning is stuck or failed (null otherwise). */
  provisioningError: string | null;
  lastPowerAction: string | null;
  lastPowerActionAt: Date | null;
  lastBilledAt: Date | null;
  billedUntil: Date | null;
  /** Set while suspended for insufficient funds. */
  debt: bigint | null;
  /** Reverse DNS of ipv4 set through Stratus; null: the provider's default. */
  reverseDns: string | null;
  /** The operation in progress (rename, reverse DNS…), as requested. */
  operation: VpsOperation | null;
  lastOperation: VpsLastOperation | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export const VpsServerEntity = new EntitySchema<VpsServerRow>({
  name: 'VpsServer',
  tableName: 'vps_servers',
  indexes: [
    {
      name: 'vps_servers_organization_created_index',
      expression:
        'create index "vps_servers_organization_created_index" on "vps_servers" ("organization_id", "created_at" desc)',
    },
  ],
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    label: { type: 'string', columnType: 'text' },
    status: { type: 'string', columnType: 'text' },
    planId: { type: 'string', columnType: 'text' },
    providerPlanId: { type: 'string', columnType: 'text' },
    region: { type: 'string', columnType: 'text' },
    image: { type: 'string', columnType: 'text' },
    backups: { type: 'boolean', columnType: 'boolean' },
    sshKeyIds: { type: JsonType, columnType: 'jsonb' },
    hourlyPrice: { type: new BigIntType('bigint'), columnType: 'bigint' },
    monthlyPrice: { type: new BigIntType('bigint'), columnType: 'bigint' },
    workflowId: { type: 'string', columnType: 'text' },
    billingWorkflowId: { type: 'string', columnType: 'text', nullable: true },
    providerInstanceId: { type: 'string', columnType: 'text', nullable: true },
    ipv4: { type: 'string', columnType: 'text', nullable: true },
    provisioningStage: { type: 'string', columnType: 'text', nullable: true },
    provisioningAttempt: { type: 'integer', columnType: 'integer' },
    provisioningError: { type: 'string', columnType: 'text', nullable: true },
    lastPowerAction: { type: 'string', columnType: 'text', nullable: true },
    lastPowerActionAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    lastBilledAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    billedUntil: { type: 'Date', columnType: 'timestamptz', nullable: true },
    debt: { type: new BigIntType('bigint'), columnType: 'bigint', nullable: true },
    reverseDns: { type: 'string', columnType: 'text', nullable: true },
    operation: { type: JsonType, columnType: 'jsonb', nullable: true },
    lastOperation: { type: JsonType, columnType: 'jsonb', nullable: true },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
    deletedAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
  },
});
