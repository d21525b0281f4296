import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PERMISSIONS } from '@stratus/domain';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { decodeMembershipCursor } from '../../../me/shared/my-memberships';
import { ListMyOrganizationsQuery, type MyOrganizationsPage } from './list-my-organizations.query';

export class MyOrganizationDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: string[];
  @ApiProperty() memberCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class MyOrganizationsResponseDto {
  @ApiProperty({ type: [MyOrganizationDto] }) items!: MyOrganizationDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page (organizations joined later); null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class ListMyOrganizationsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List my organizations' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({
    type: MyOrganizationsResponseDto,
    description: 'In the order the organizations were joined',
  })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @QueryParams() params: PageRequestDto,
  ): Promise<MyOrganizationsPage> {
    const after = params.cursor !== undefined ? decodeMembershipCursor(params.cursor) : null;
    return this.queryBus.execute(new ListMyOrganizationsQuery(user.userId, pageSize(params), after));
  }
}
