import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

export type ProjectionStatus = 'running' | 'catching_up' | 'failed' | 'stopped' | 'rebuilding';

/** Where a projection is in the all-stream; written in the same transaction as its rows. */
export interface ProjectionCheckpointRow {
  [PrimaryKeyProp]?: 'name';
  name: string;
  positionCommit: bigint | null;
  positionPrepare: bigint | null;
  eventsProcessed: bigint;
  status: ProjectionStatus;
  lastError: string | null;
  lastEventAt: Date | null;
  updatedAt: Date;
}

export const ProjectionCheckpointEntity = new EntitySchema<ProjectionCheckpointRow>({
  name: 'ProjectionCheckpoint',
  tableName: 'projection_checkpoints',
  properties: {
    name: { type: 'string', columnType: 'text', primary: true },
    positionCommit: { type: new BigIntType('bigint'), columnType: 'bigint', nullable: true },
    positionPrepare: { type: new BigIntType('bigint'), columnType: 'bigint', nullable: true },
    eventsProcessed: { type: new BigIntType('bigint'), columnType: 'bigint' },
    status: { type: 'string', columnType: 'text' },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    lastEventAt: { type: 'Date', columnType: 'timestamptz', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
