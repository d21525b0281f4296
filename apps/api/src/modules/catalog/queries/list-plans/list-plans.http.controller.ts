import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { PlanDto } from '../../shared/plan.dto';
import { ListPlansQuery } from './list-plans.query';

@ApiTags('admin')
@Controller('admin/plans')
export class ListPlansHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List all plans' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: [PlanDto], description: 'Every plan, inactive ones included, oldest first' })
  list(): Promise<PlanDto[]> {
    return this.queryBus.execute(new ListPlansQuery());
  }
}
