import { BigIntType, EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';

/** The catalog: one row per plan, inactive ones included (staff see them; customers only active ones). */
export interface PlanRow {
  [PrimaryKeyProp]?: 'id';
  id: string;
  name: string;
  provider: string;
  providerPlanId: string;
  regions: string[];
  /** Monthly prices, micro-dollars. Hourly prices are derived by the domain's pricing. */
  baseMonthlyPrice: bigint;
  markup: bigint;
  backupUpcharge: bigint;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const PlanEntity = new EntitySchema<PlanRow>({
  name: 'Plan',
  tableName: 'plans',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    name: { type: 'string', columnType: 'text' },
    provider: { type: 'string', columnType: 'text' },
    providerPlanId: { type: 'string', columnType: 'text' },
    regions: { type: JsonType, columnType: 'jsonb' },
    baseMonthlyPrice: { type: new BigIntType('bigint'), columnType: 'bigint' },
    markup: { type: new BigIntType('bigint'), columnType: 'bigint' },
    backupUpcharge: { type: new BigIntType('bigint'), columnType: 'bigint' },
    active: { type: 'boolean', columnType: 'boolean' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
