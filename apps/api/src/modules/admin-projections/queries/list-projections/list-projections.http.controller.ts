import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ProjectionListDto } from '../../shared/projection-view';
import { ListProjectionsQuery } from './list-projections.query';

@ApiTags('admin')
@Controller('admin/projections')
export class ListProjectionsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List projections' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: ProjectionListDto })
  async list(): Promise<ProjectionListDto> {
    return { projections: await this.queryBus.execute(new ListProjectionsQuery()) };
  }
}
