import { ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_LOG_DEFAULT_PAGE_SIZE, EVENT_LOG_MAX_PAGE_SIZE } from '@stratus/projections';
import { IsOptional, IsString } from 'class-validator';
import { EventLogFilterRequestDto } from '../../shared/event-log.dto';

export class ListEventsRequestDto extends EventLogFilterRequestDto {
  @ApiPropertyOptional({ description: 'Read forwards after this position (exclusive)', example: '7841/1203' })
  @IsOptional()
  @IsString()
  after?: string;

  @ApiPropertyOptional({
    description: 'Read backwards before this position (exclusive)',
    example: '7841/1203',
  })
  @IsOptional()
  @IsString()
  before?: string;

  @ApiPropertyOptional({
    enum: ['forwards', 'backwards'],
    description: 'Without a cursor: forwards from the first event (default) or backwards from the newest',
  })
  @IsOptional()
  @IsString()
  direction?: string;

  @ApiPropertyOptional({
    description: `1 to ${EVENT_LOG_MAX_PAGE_SIZE}, default ${EVENT_LOG_DEFAULT_PAGE_SIZE}`,
    example: String(EVENT_LOG_DEFAULT_PAGE_SIZE),
  })
  @IsOptional()
  @IsString()
  limit?: string;
}
