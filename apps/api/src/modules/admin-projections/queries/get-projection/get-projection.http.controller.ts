import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { ProjectionViewDto } from '../../shared/projection-view';
import { assertKnownProjection } from '../../shared/projection-rebuilds.service';
import { GetProjectionQuery } from './get-projection.query';

@ApiTags('admin')
@Controller('admin/projections/:name')
export class GetProjectionHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get a projection' })
  @RequirePlatformAdmin()
  @ApiParam({ name: 'name', example: 'wallet-transactions' })
  @ApiOkResponse({ type: ProjectionViewDto })
  @ApiErrorResponses({ 404: 'Unknown projection' })
  async get(@Param('name') name: string): Promise<ProjectionViewDto> {
    assertKnownProjection(name);
    return this.queryBus.execute(new GetProjectionQuery(name));
  }
}
