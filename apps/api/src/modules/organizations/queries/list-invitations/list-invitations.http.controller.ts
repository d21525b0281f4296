import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListInvitationsQuery } from './list-invitations.query';

export class PendingInvitationDto {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ example: 'colleague@example.com' }) email!: string;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ format: 'uuid' }) invitedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class PendingInvitationsResponseDto {
  @ApiProperty({ type: [PendingInvitationDto] }) items!: PendingInvitationDto[];
}

@ApiTags('organizations')
@Controller('organizations/:orgId/invitations')
export class ListInvitationsHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List pending invitations' })
  @RequirePermission('members_manage')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: PendingInvitationsResponseDto })
  async list(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<PendingInvitationsResponseDto> {
    return {
      items: await this.queryBus.execute(
        new ListInvitationsQuery(membership.organizationId, this.clock.now()),
      ),
    };
  }
}
