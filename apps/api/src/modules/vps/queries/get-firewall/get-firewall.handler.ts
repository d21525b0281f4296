import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OPEN_FIREWALL } from '@stratus/domain';
import { FIREWALL_POLICY_ROW_ID, FirewallPolicyEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { VpsFirewallDto } from '../../shared/backups-firewall.dto';
import { findVpsRow } from '../../shared/vps-lookup';
import { GetFirewallQuery } from './get-firewall.query';

/**
 * The rules in effect, from the read model (the firewall operation's completion records them): the server's own,
 * or, when it has none, the platform's default; and the rules a firewall operation in progress is applying.
 */
@QueryHandler(GetFirewallQuery)
export class GetFirewallHandler implements IQueryHandler<GetFirewallQuery, VpsFirewallDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetFirewallQuery): Promise<VpsFirewallDto> {
    const row = await findVpsRow(this.orm, query.organizationId, query.vpsId);
    const policy = row.firewall
      ? null
      : await this.orm.em.fork().findOne(FirewallPolicyEntity, { id: FIREWALL_POLICY_ROW_ID });
    const rules = row.firewall ?? policy?.rules ?? OPEN_FIREWALL;
    return {
      source: row.firewall ? 'server' : 'default',
      defaultInbound: rules.defaultInbound,
      inbound: rules.inbound,
      pending: row.operation?.kind === 'firewall' ? row.operation.rules : null,
    };
  }
}
