import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The filters every event-history query accepts (all optional, all must match). */
export class EventLogFilterRequestDto {
  @ApiPropertyOptional({
    description: 'Exact stream id',
    example: 'wallet-1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  stream?: string;

  @ApiPropertyOptional({ description: 'Stream id prefix, e.g. a category', example: 'vps-' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  streamPrefix?: string;

  @ApiPropertyOptional({
    description: 'Event type; repeat the parameter or separate with commas for several',
    example: 'WalletCredited,WalletAdjusted',
    type: String,
  })
  @IsOptional()
  @IsString({ each: true })
  type?: string | string[];

  @ApiPropertyOptional({ description: 'Actor user id (metadata.actor.userId)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actorUserId?: string;

  @ApiPropertyOptional({
    description: "The organization's events, its wallet's, and its servers' (vps-<id> streams)",
    format: 'uuid',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  organizationId?: string;

  @ApiPropertyOptional({ description: 'Everything one request caused (metadata.correlationId)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  correlationId?: string;

  @ApiPropertyOptional({
    description: 'occurredAt >= from (ISO-8601 with zone)',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({
    description: 'occurredAt < to (ISO-8601 with zone)',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsString()
  to?: string;
}

export class ActorDto {
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'admin' }) role!: string | null;
  @ApiProperty({ type: String, nullable: true }) impersonatorId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The API key the actor authenticated with' })
  apiKeyId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
}

export class EventMetadataDto {
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty({ type: String, nullable: true }) correlationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) causationId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class EventLogItemDto {
  @ApiProperty({ example: '7841/1203', description: 'Global position "commit/prepare"' }) position!: string;
  @ApiProperty({ example: 'wallet-1b4e28ba-2fa1-11d2-883f-0016d3cca427' }) streamId!: string;
  @ApiProperty({ example: 3 }) revision!: number;
  @ApiProperty({ example: 'WalletCredited' }) type!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'As recorded; passwords, secrets, tokens and ciphertexts show as "[redacted]"',
  })
  data!: unknown;
  @ApiProperty({ type: EventMetadataDto }) metadata!: EventMetadataDto;
}

export class EventLogPageDto {
  @ApiProperty({ type: [EventLogItemDto] }) items!: EventLogItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    example: '7841/1203',
    description: 'More events follow: pass as `after` (forwards) or `before` (backwards); null at the end',
  })
  nextCursor!: string | null;
  @ApiProperty({ enum: ['forwards', 'backwards'] }) direction!: 'forwards' | 'backwards';
  @ApiProperty({ example: 50 }) limit!: number;
}
