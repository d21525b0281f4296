import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PERMISSIONS } from '@stratus/domain';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListMyOrganizationsQuery } from './list-my-organizations.query';

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
}

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class ListMyOrganizationsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List my organizations' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: MyOrganizationsResponseDto })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<MyOrganizationsResponseDto> {
    return { items: await this.queryBus.execute(new ListMyOrganizationsQuery(user.userId)) };
  }
}
