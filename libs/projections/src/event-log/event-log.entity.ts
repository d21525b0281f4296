import { BigIntType, EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';

/**
 * One row per event ever appended (the audit log): who did what, when, from where. Filled by the
 * `event-log` projection; the admin event-history API and `npm run events:export` read it.
 */
export interface EventLogRow {
  [PrimaryKeyProp]?: 'eventId';
  eventId: string;
  positionCommit: bigint;
  positionPrepare: bigint;
  streamId: string;
  /** 'vps' for 'vps-<id>'. */
  streamCategory: string;
  revision: bigint;
  type: string;
  /** data.organizationId, else the id of an organization-<id> / wallet-<id> stream, else null. */
  organizationId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  impersonatorId: string | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  causationId: string | null;
  occurredAt: Date;
  data: unknown;
  metadata: unknown;
}

/** Index names and definitions, shared by the entity and the migration. */
export const EVENT_LOG_INDEXES: readonly { name: string; expression: string }[] = [
  ['event_log_position_index', '("position_commit", "position_prepare")', true],
  ['event_log_stream_revision_index', '("stream_id", "revision")', true],
  ['event_log_category_position_index', '("stream_category", "position_commit", "position_prepare")', false],
  ['event_log_type_position_index', '("type", "position_commit", "position_prepare")', false],
  [
    'event_log_organization_type_position_index',
    '("organization_id", "type", "position_commit", "position_prepare")',
    false,
  ],
  [
    'event_log_organization_position_index',
    '("organization_id", "position_commit", "position_prepare")',
    false,
  ],
  ['event_log_actor_position_index', '("actor_user_id", "position_commit", "position_prepare")', false],
  [
    'event_log_correlation_position_index',
    '("correlation_id", "position_commit", "position_prepare")',
    false,
  ],
  ['event_log_occurred_at_index', '("occurred_at")', false],
  // Per server, in order: the organization filter's events that carry no organization (most vps events).
  [
    'event_log_unowned_stream_position_index',
    '("stream_id", "position_commit", "position_prepare") where "organization_id" is null',
    false,
  ],
].map(([name, columns, unique]) => ({
  name: name as string,
  expression: `create ${unique ? 'unique ' : ''}index "${name as string}" on "event_log" ${columns as string}`,
}));

export const EventLogEntity = new EntitySchema<EventLogRow>({
  name: 'EventLog',
  tableName: 'event_log',
  indexes: EVENT_LOG_INDEXES.map((index) => ({ ...index })),
  properties: {
    eventId: { type: 'uuid', columnType: 'uuid', primary: true },
    positionCommit: { type: new BigIntType('bigint'), columnType: 'bigint' },
    positionPrepare: { type: new BigIntType('bigint'), columnType: 'bigint' },
    streamId: { type: 'string', columnType: 'text' },
    streamCategory: { type: 'string', columnType: 'text' },
    revision: { type: new BigIntType('bigint'), columnType: 'bigint' },
    type: { type: 'string', columnType: 'text' },
    organizationId: { type: 'string', columnType: 'text', nullable: true },
    actorUserId: { type: 'string', columnType: 'text', nullable: true },
    actorRole: { type: 'string', columnType: 'text', nullable: true },
    impersonatorId: { type: 'string', columnType: 'text', nullable: true },
    ip: { type: 'string', columnType: 'text', nullable: true },
    userAgent: { type: 'string', columnType: 'text', nullable: true },
    correlationId: { type: 'string', columnType: 'text', nullable: true },
    causationId: { type: 'string', columnType: 'text', nullable: true },
    occurredAt: { type: 'Date', columnType: 'timestamptz' },
    data: { type: JsonType, columnType: 'jsonb' },
    metadata: { type: JsonType, columnType: 'jsonb' },
  },
});
