import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { DirectorySearchRequestDto } from '../../shared/directory-search.request.dto';
import { AdminOrganizationsResponseDto } from '../../shared/directory.dto';
import { DEFAULT_DIRECTORY_LIMIT, normalizeQuery } from '../../shared/search-pattern';
import { SearchOrganizationsQuery } from './search-organizations.query';

@ApiTags('admin')
@Controller('admin/organizations')
export class SearchOrganizationsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Search organizations' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: AdminOrganizationsResponseDto })
  async search(@QueryParams() params: DirectorySearchRequestDto): Promise<AdminOrganizationsResponseDto> {
    const limit = params.limit ? Number(params.limit) : DEFAULT_DIRECTORY_LIMIT;
    return {
      items: await this.queryBus.execute(new SearchOrganizationsQuery(normalizeQuery(params.q), limit)),
    };
  }
}
