import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequireMembership } from '../../../../shared/auth/require-permission.decorator';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListMembersQuery } from './list-members.query';

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class MembersResponseDto {
  @ApiProperty({ type: [MemberDto] }) items!: MemberDto[];
}

@ApiTags('organizations')
@Controller('organizations/:orgId/members')
export class ListMembersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List members' })
  @RequireMembership()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: MembersResponseDto })
  async list(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<MembersResponseDto> {
    return { items: await this.queryBus.execute(new ListMembersQuery(membership.organizationId)) };
  }
}
