import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export const DEFAULT_RETRY_REASON = 'retry requested by staff';

export class RetryProvisioningRequestDto {
  @ApiPropertyOptional({
    example: 'Linode fixed the region',
    maxLength: 1000,
    description: `Recorded in the audit event; "${DEFAULT_RETRY_REASON}" when absent`,
  })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason?: string;
}
