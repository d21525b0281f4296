import { EntitySchema, JsonType } from '@mikro-orm/core';
import { assertNever, type FirewallPolicyEvent, type FirewallRules } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';

/** The platform's default inbound firewall policy (one row, `platform`), as staff last set it. */
export interface FirewallPolicyRow {
  id: string;
  rules: FirewallRules;
  /** The staff member who set it (the event's actor). */
  updatedBy: string;
  updatedAt: Date;
}

export const FirewallPolicyEntity = new EntitySchema<FirewallPolicyRow>({
  name: 'FirewallPolicy',
  tableName: 'firewall_policy',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    rules: { type: JsonType, columnType: 'jsonb' },
    updatedBy: { type: 'string', columnType: 'text' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

export const FIREWALL_POLICY_ROW_ID = 'platform';

export const firewallPolicyProjection: Projection<FirewallPolicyRow> = {
  name: 'firewall-policy',
  entity: FirewallPolicyEntity,
  handles: ['FirewallPolicySet'] satisfies FirewallPolicyEvent['type'][],
  keyOf: () => FIREWALL_POLICY_ROW_ID,
  evolve(_row, recorded) {
    const event = asRecorded<FirewallPolicyEvent>(recorded);
    switch (event.type) {
      case 'FirewallPolicySet':
        return {
          id: FIREWALL_POLICY_ROW_ID,
          rules: event.data.rules,
          updatedBy: recorded.metadata.actor.userId,
          updatedAt: occurredAt(event),
        };
      default:
        return assertNever(event.type);
    }
  },
};
