import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseEventLogPageRequest, type RawParams } from '@stratus/projections';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { EventLogPageDto } from '../../shared/event-log.dto';
import { parsedOr400 } from '../../shared/event-log-params';
import { ListEventsQuery, type ListEventsResult } from './list-events.query';
import { ListEventsRequestDto } from './list-events.request.dto';

@ApiTags('admin')
@Controller('admin/events')
export class ListEventsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'List events',
    description: 'Event history: who changed what, when, from where (filtered, cursor-paged)',
  })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: EventLogPageDto })
  @ApiErrorResponses({ 400: 'Bad cursor, date, direction or limit' })
  async list(@QueryParams() params: ListEventsRequestDto): Promise<ListEventsResult> {
    const request = parsedOr400(() => parseEventLogPageRequest({ ...params } as RawParams));
    return this.queryBus.execute(new ListEventsQuery(request));
  }
}
