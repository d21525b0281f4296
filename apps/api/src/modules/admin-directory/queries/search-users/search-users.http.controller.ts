import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { DirectorySearchRequestDto } from '../../shared/directory-search.request.dto';
import { AdminUsersResponseDto } from '../../shared/directory.dto';
import { DEFAULT_DIRECTORY_LIMIT, normalizeQuery } from '../../shared/search-pattern';
import { SearchUsersQuery } from './search-users.query';

@ApiTags('admin')
@Controller('admin/users')
export class SearchUsersHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Search users' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: AdminUsersResponseDto })
  async search(@QueryParams() params: DirectorySearchRequestDto): Promise<AdminUsersResponseDto> {
    const limit = params.limit ? Number(params.limit) : DEFAULT_DIRECTORY_LIMIT;
    return { items: await this.queryBus.execute(new SearchUsersQuery(normalizeQuery(params.q), limit)) };
  }
}
