import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PERMISSIONS } from '@stratus/domain';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequireMembership } from '../../../../shared/auth/require-permission.decorator';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { GetOrganizationQuery, type OrganizationView } from './get-organization.query';

export class OrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'uuid' }) createdBy!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) createdAt!: string | null;
  @ApiProperty() memberCount!: number;
  @RoleIdProperty() myRole!: string;
  @RoleNameProperty() myRoleName!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) myPermissions!: string[];
}

@ApiTags('organizations')
@Controller('organizations/:orgId')
export class GetOrganizationHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get an organization' })
  @RequireMembership()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: OrganizationResponseDto })
  async get(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<OrganizationView> {
    return this.queryBus.execute(new GetOrganizationQuery(membership));
  }
}
