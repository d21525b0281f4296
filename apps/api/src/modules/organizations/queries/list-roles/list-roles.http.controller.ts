import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequireMembership } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { RoleDto } from '../../shared/role.dto';
import { ListRolesQuery } from './list-roles.query';

export class ListedRoleDto extends RoleDto {
  @ApiProperty({ description: 'Members holding it' }) memberCount!: number;
}

export class RolesResponseDto {
  @ApiProperty({ type: [ListedRoleDto] }) items!: ListedRoleDto[];
}

@ApiTags('organizations')
@Controller('organizations/:orgId/roles')
export class ListRolesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Any member: what each role of the organization may do. */
  @Get()
  @ApiOperation({ summary: 'List roles (predefined and custom)' })
  @RequireMembership()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: RolesResponseDto })
  async list(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<RolesResponseDto> {
    return { items: await this.queryBus.execute(new ListRolesQuery(membership.organizationId)) };
  }
}
