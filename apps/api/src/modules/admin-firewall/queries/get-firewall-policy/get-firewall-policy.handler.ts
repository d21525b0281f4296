import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OPEN_FIREWALL } from '@stratus/domain';
import { FIREWALL_POLICY_ROW_ID, FirewallPolicyEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { FirewallPolicyDto } from '../../admin-firewall.dto';
import { GetFirewallPolicyQuery } from './get-firewall-policy.query';

@QueryHandler(GetFirewallPolicyQuery)
export class GetFirewallPolicyHandler implements IQueryHandler<GetFirewallPolicyQuery, FirewallPolicyDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(): Promise<FirewallPolicyDto> {
    const row = await this.orm.em.fork().findOne(FirewallPolicyEntity, { id: FIREWALL_POLICY_ROW_ID });
    if (!row) return { ...OPEN_FIREWALL, set: false, updatedBy: null, updatedAt: null };
    return { ...row.rules, set: true, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
  }
}
