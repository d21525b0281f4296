import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { AdminUserDetailDto } from '../../shared/directory.dto';
import { GetUserQuery } from './get-user.query';

@ApiTags('admin')
@Controller('admin/users/:userId')
export class GetUserHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get a user' })
  @RequirePlatformAdmin()
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: AdminUserDetailDto })
  @ApiErrorResponses({ 404: 'user_not_found' })
  async get(@Param('userId') userId: string): Promise<AdminUserDetailDto> {
    const user = isUuid(userId) ? await this.queryBus.execute(new GetUserQuery(userId.toLowerCase())) : null;
    if (!user) throw new ApiError(404, 'user_not_found', 'User not found');
    return user;
  }
}
