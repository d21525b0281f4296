import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrganizationEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetOrganizationQuery, type OrganizationView } from './get-organization.query';

@QueryHandler(GetOrganizationQuery)
export class GetOrganizationHandler implements IQueryHandler<GetOrganizationQuery, OrganizationView> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ membership }: GetOrganizationQuery): Promise<OrganizationView> {
    const row = await this.orm.em.fork().findOne(OrganizationEntity, { id: membership.organizationId });
    const myPermissions = [...membership.permissions];
    if (row) {
      return {
        id: row.id,
        name: row.name,
        createdBy: row.createdBy,
        createdAt: row.createdAt.toISOString(),
        memberCount: row.memberCount,
        myRole: membership.role,
        myRoleName: membership.roleName,
        myPermissions,
      };
    }
    // The read model has not caught up with a brand-new organization: answer from the stream the
    // membership guard already folded rather than a false 404.
    const state = membership.state;
    return {
      id: state.organizationId,
      name: state.name,
      createdBy: state.createdBy,
      createdAt: null,
      memberCount: state.members.size,
      myRole: membership.role,
      myRoleName: membership.roleName,
      myPermissions,
    };
  }
}
