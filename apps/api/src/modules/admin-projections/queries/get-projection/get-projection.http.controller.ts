import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
import { ProjectionViewDto } from '../../shared/projection-view';
import { assertKnownProjection } from '../../shared/projection-rebuilds.service';
import { GetProjectionQuery } from './get-projection.query';

@ApiTags('admin')
@Controller('admin/projections/:name')
export class GetProjectionHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePlatformAdmin()
  @ApiParam({ name: 'name', example: 'wallet-transactions' })
  @ApiOkResponse({ type: ProjectionViewDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown projection' })
  async get(@Param('name') name: string): Promise<ProjectionViewDto> {
    assertKnownProjection(name);
    return this.queryBus.execute(new GetProjectionQuery(name));
  }
}
