import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProjectionRebuildState } from '@stratus/domain';
import type { ProjectionStatusReport, RebuildProgressReport } from '@stratus/projections';

export class RebuildInProgressDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a rebuild started outside the API',
  })
  rebuildId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'User id of the admin who asked' }) requestedBy!:
    string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({
    description:
      'Some process holds the rebuild lock. False: the process running it stopped; the next API start or rebuild request records it as failed',
  })
  running!: boolean;
  @ApiProperty({
    type: String,
    example: '7841/1203',
    nullable: true,
    description: 'Checkpoint of the shadow table',
  })
  checkpoint!: string | null;
  @ApiProperty({ description: 'Events replayed into the shadow table so far' }) eventsProcessed!: number;
  @ApiProperty({ description: 'Events still to replay before the swap (capped at 100,000)' })
  lagEvents!: number;
}

export class LastRebuildDto {
  @ApiProperty({ format: 'uuid' }) rebuildId!: string;
  @ApiProperty({ enum: ['completed', 'failed'] }) outcome!: 'completed' | 'failed';
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional() events?: number;
  @ApiPropertyOptional({ type: String, example: '7841/1203', nullable: true }) position?: string | null;
  @ApiPropertyOptional() durationMs?: number;
  @ApiPropertyOptional() error?: string;
}

export class ProjectionViewDto {
  @ApiProperty({ example: 'wallet-transactions' }) name!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) checkpoint!: string | null;
  @ApiProperty({ description: 'Events after the checkpoint (capped at 100,000)' }) lagEvents!: number;
  @ApiProperty({ description: 'Age of the oldest unprocessed event; 0 when caught up' }) lagSeconds!: number;
  @ApiProperty({ enum: ['running', 'catching_up', 'failed', 'stopped', 'rebuilding'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty() eventsProcessed!: number;
  @ApiProperty({ type: RebuildInProgressDto, nullable: true }) rebuild!: RebuildInProgressDto | null;
  @ApiProperty({ type: LastRebuildDto, nullable: true }) lastRebuild!: LastRebuildDto | null;
}

export class ProjectionListDto {
  @ApiProperty({ type: [ProjectionViewDto] }) projections!: ProjectionViewDto[];
}

export function projectionView(
  status: ProjectionStatusReport,
  state: ProjectionRebuildState,
  progress: RebuildProgressReport | undefined,
  /** Some process holds the projection's rebuild lock. */
  lockHeld: boolean,
): ProjectionViewDto {
  const shadow = {
    checkpoint: progress?.checkpoint ?? null,
    eventsProcessed: progress?.eventsProcessed ?? 0,
    lagEvents: progress?.lagEvents ?? 0,
  };
  let rebuild: RebuildInProgressDto | null = null;
  let lastRebuild: LastRebuildDto | null = null;
  switch (state.status) {
    case 'rebuilding':
      rebuild = {
        rebuildId: state.rebuildId,
        requestedBy: state.requestedBy,
        startedAt: state.requestedAt,
        reason: state.reason,
        running: lockHeld,
        ...shadow,
      };
      lastRebuild = state.last;
      break;
    case 'idle':
      lastRebuild = state.last;
      break;
    case 'never_rebuilt':
      break;
  }
  // A rebuild run by a script (rebuildProjection) has a live shadow but no request on the stream.
  if (!rebuild && lockHeld) {
    rebuild = { rebuildId: null, requestedBy: null, startedAt: null, reason: null, running: true, ...shadow };
  }
  return { ...status, rebuild, lastRebuild };
}
