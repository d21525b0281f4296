import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { OfferedPlanDto } from '../../shared/plan.dto';
import { ListOfferedPlansQuery } from './list-offered-plans.query';

@ApiTags('vps')
@Controller('vps/plans')
export class ListOfferedPlansHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List offered plans' })
  // Prices are public: the portal's pricing page shows them to visitors.
  @Public()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: [OfferedPlanDto], description: 'Active plans, with hourly and monthly prices' })
  list(): Promise<OfferedPlanDto[]> {
    return this.queryBus.execute(new ListOfferedPlansQuery());
  }
}
