import { ApiProperty } from '@nestjs/swagger';

/** Answer to retry and abort: the request was recorded (or already was) and the workflow signalled. */
export class ProvisioningActionAcceptedDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty({ example: 'vps-provisioning-3f0b8f52-…' }) workflowId!: string;
  @ApiProperty({ enum: ['retry', 'abort'] }) action!: 'retry' | 'abort';
  @ApiProperty({
    description:
      'True when an earlier call already recorded this request (nothing recorded again; the signal was re-sent)',
  })
  alreadyRequested!: boolean;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The audit event (VpsProvisioningRetryRequested / VpsProvisioningAbortRequested)',
  })
  eventId!: string | null;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
