import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { OfferedPlanDto } from '../../shared/plan.dto';
import { ListOfferedPlansQuery } from './list-offered-plans.query';

@ApiTags('vps')
@ApiBearerAuth()
@Controller('vps/plans')
export class ListOfferedPlansHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: [OfferedPlanDto], description: 'Active plans, with hourly and monthly prices' })
  list(): Promise<OfferedPlanDto[]> {
    return this.queryBus.execute(new ListOfferedPlansQuery());
  }
}
