import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { PERMISSIONS } from '@stratus/domain';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { UserDto } from '../../../auth/user.dto';
import { GetMeQuery, ME_MEMBERSHIPS_LIMIT, type MeView } from './get-me.query';

export class MyMembershipDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() organizationName!: string;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: string[];
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}

export class MeUserDto extends UserDto {
  @ApiProperty({ description: 'The user followed the link mailed to their address' }) emailVerified!: boolean;
  @ApiProperty({ description: 'Sign-in asks for a TOTP code' }) twoFactorEnabled!: boolean;
}

export class MeResponseDto {
  @ApiProperty({ type: MeUserDto }) user!: MeUserDto;
  @ApiProperty({
    type: [MyMembershipDto],
    description: `The first ${ME_MEMBERSHIPS_LIMIT} organizations joined, and the active one`,
  })
  memberships!: MyMembershipDto[];
  @ApiProperty({
    description: 'More memberships than listed here: GET /api/me/memberships pages through all',
  })
  moreMemberships!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) activeOrganizationId!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'In an impersonation session: the staff member acting as the user (else null)',
  })
  impersonatorId!: string | null;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class GetMeHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get the signed-in user' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: MeResponseDto })
  async me(@CurrentUser() user: AuthenticatedUser): Promise<MeResponseDto> {
    const view: MeView = await this.queryBus.execute(new GetMeQuery(user.userId));
    return { ...view, impersonatorId: user.impersonatorId };
  }
}
