import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  EVENT_LOG_DEFAULT_PAGE_SIZE,
  EVENT_LOG_MAX_PAGE_SIZE,
  parseCursor,
  parseLimit,
  type EventLogPage,
} from '@stratus/projections';
import { IsOptional, IsString } from 'class-validator';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { EventLogItemDto } from '../../shared/event-log.dto';
import { parsedOr400 } from '../../shared/event-log-params';
import { GetCorrelationQuery } from './get-correlation.query';

export class GetCorrelationRequestDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page', example: '7841/1203' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({
    description: `1 to ${EVENT_LOG_MAX_PAGE_SIZE}, default ${EVENT_LOG_DEFAULT_PAGE_SIZE}`,
  })
  @IsOptional()
  @IsString()
  limit?: string;
}

export class CorrelationPageDto {
  @ApiProperty({ description: 'The correlation id followed', example: 'req-5f1c2a9e' })
  correlationId!: string;
  @ApiProperty({ type: [EventLogItemDto] }) items!: EventLogItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?after= for the rest; null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('admin')
@Controller('admin/correlations')
export class GetCorrelationHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':correlationId')
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Follow a correlation',
    description: 'Everything one request caused, across streams, in global order',
  })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: CorrelationPageDto })
  @ApiErrorResponses({ 404: 'No event carries this correlation id' })
  async get(
    @Param('correlationId') correlationId: string,
    @QueryParams() params: GetCorrelationRequestDto,
  ): Promise<CorrelationPageDto> {
    if (correlationId.length === 0 || correlationId.length > 300) {
      throw new ApiError(404, 'correlation_not_found', 'No events carry this correlation id');
    }
    const { after, limit } = parsedOr400(() => ({
      after: params.after === undefined ? null : parseCursor('after', params.after),
      limit: parseLimit('limit', params.limit),
    }));
    const page: EventLogPage = await this.queryBus.execute(
      new GetCorrelationQuery(correlationId, after, limit),
    );
    return { correlationId, ...page };
  }
}
