import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  EVENT_LOG_DEFAULT_PAGE_SIZE,
  EVENT_LOG_MAX_PAGE_SIZE,
  EventLogQueryError,
  parseInstant,
  parseLimit,
  type StateAt,
  type StreamAudit,
} from '@stratus/projections';
import { IsOptional, IsString } from 'class-validator';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { EventLogItemDto } from '../../shared/event-log.dto';
import { parsedOr400 } from '../../shared/event-log-params';
import { GetStreamQuery } from './get-stream.query';

export class GetStreamRequestDto {
  @ApiPropertyOptional({ description: 'State right after this revision (0-based)', example: '3' })
  @IsOptional()
  @IsString()
  atRevision?: string;

  @ApiPropertyOptional({
    description: 'State as it was at this instant (ISO-8601 with zone)',
    example: '2026-11-30T04:00:00Z',
  })
  @IsOptional()
  @IsString()
  atTime?: string;

  @ApiPropertyOptional({ description: 'First revision of the events listed (default 0)', example: '0' })
  @IsOptional()
  @IsString()
  fromRevision?: string;

  @ApiPropertyOptional({
    description: `Events listed, 1 to ${EVENT_LOG_MAX_PAGE_SIZE}, default ${EVENT_LOG_DEFAULT_PAGE_SIZE}`,
  })
  @IsOptional()
  @IsString()
  limit?: string;
}

export class StreamAuditDto {
  @ApiProperty() streamId!: string;
  @ApiProperty({ example: 'wallet' }) category!: string;
  @ApiProperty({ description: 'Last revision of the stream now' }) lastRevision!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Revision the state is at (null: before the first event)',
  })
  revision!: number | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description:
      "The aggregate's state folded with the domain's evolve (money as decimal strings, secrets redacted); " +
      'null for a stream category without a decider',
  })
  state!: unknown;
  @ApiProperty({ type: String, nullable: true }) stateError!: string | null;
  @ApiProperty({ type: [EventLogItemDto], description: 'Events from fromRevision up to the state' })
  events!: EventLogItemDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as fromRevision for the next events' })
  nextFromRevision!: number | null;
}

const REVISION = /^\d{1,15}$/;

function revision(field: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  if (!REVISION.test(text))
    throw new EventLogQueryError(field, `${field} must be a revision: an integer >= 0`);
  return BigInt(text);
}

@ApiTags('admin')
@Controller('admin/streams')
export class GetStreamHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':streamId')
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Audit a stream',
    description: "A stream's events and its state, now or then (?atRevision= or ?atTime=)",
  })
  @ApiParam({ name: 'streamId', example: 'wallet-1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: StreamAuditDto })
  @ApiErrorResponses({ 404: 'The stream has no events' })
  async get(
    @Param('streamId') streamId: string,
    @QueryParams() params: GetStreamRequestDto,
  ): Promise<StreamAudit> {
    if (streamId.length === 0 || streamId.length > 300) {
      throw new ApiError(404, 'stream_not_found', 'No events in this stream', {
        streamId: streamId.slice(0, 300),
      });
    }
    const { at, fromRevision, limit } = parsedOr400(() => {
      const at: StateAt = {};
      const atRevision = revision('atRevision', params.atRevision);
      if (atRevision !== undefined) at.revision = atRevision;
      if (params.atTime !== undefined) at.time = parseInstant('atTime', params.atTime);
      if (at.revision !== undefined && at.time !== undefined) {
        throw new EventLogQueryError('atTime', 'give either atRevision or atTime, not both');
      }
      return {
        at,
        fromRevision: revision('fromRevision', params.fromRevision) ?? 0n,
        limit: parseLimit('limit', params.limit),
      };
    });
    return this.queryBus.execute(new GetStreamQuery(streamId, at, fromRevision, limit));
  }
}
