import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  PROVISIONING_STATES,
  type ProvisioningState,
} from '../../../../shared/temporal/provisioning-visibility';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class ListProvisioningRequestDto {
  @ApiPropertyOptional({
    enum: PROVISIONING_STATES,
    enumName: 'ProvisioningState',
    description:
      'running, stuck, compensating: open workflows in that state; failed: finished failed or terminated by staff; ' +
      'absent: every provisioning workflow',
  })
  @IsOptional()
  @IsIn(PROVISIONING_STATES, { message: `state must be one of ${PROVISIONING_STATES.join(', ')}` })
  state?: ProvisioningState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a uuid' })
  organizationId?: string;

  @ApiPropertyOptional({ description: `1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}`, example: '50' })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]\d?|1\d\d|200)$/, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextPageToken of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4096, { message: 'pageToken is not one this API returned' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'pageToken is not one this API returned' })
  pageToken?: string;
}

export class ProvisioningWorkflowDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) vpsId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organizationId!: string | null;
  // Inline: a nullable $ref is not valid OpenAPI 3.0 (the named ProvisioningState is the filter's schema).
  @ApiProperty({ enum: PROVISIONING_STATES, type: 'string', nullable: true })
  state!: ProvisioningState | null;
  @ApiProperty({ type: String, example: 'waiting_for_running', nullable: true }) stage!: string | null;
  @ApiProperty({ type: Number, example: 1, nullable: true }) attempt!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ example: 420, description: 'Seconds since the workflow started' }) ageSeconds!: number;
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({ example: 'RUNNING', description: "Temporal's execution status" }) status!: string;
  @ApiProperty({ format: 'date-time' }) startTime!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closeTime!: string | null;
  @ApiProperty({ example: 'http://localhost:8233/namespaces/default/workflows/vps-provisioning-…/…/history' })
  temporalUiUrl!: string;
}

export class ProvisioningWorkflowsResponseDto {
  @ApiProperty({ type: [ProvisioningWorkflowDto] }) items!: ProvisioningWorkflowDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?pageToken= for the next page; null on the last page',
  })
  nextPageToken!: string | null;
}
