import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class TerminateProvisioningRequestDto {
  @ApiProperty({
    example: 'Workflow wedged on a provider bug; instance removed by hand',
    minLength: 1,
    maxLength: 1000,
  })
  @IsString({ message: 'reason is required: why the provisioning is terminated' })
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason!: string;
}

export class ProvisioningTerminatedDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ description: 'A running workflow was terminated by this call' })
  workflowTerminated!: boolean;
  @ApiProperty({ description: 'The first hour had been charged and is refunded (by this call or before)' })
  refunded!: boolean;
  @ApiProperty({ example: '0.010959', description: 'Amount refunded by this call' }) refundedNow!: string;
  @ApiProperty({
    type: [String],
    description: 'Provider instances still tagged with the server: delete them by hand, they are not billed',
  })
  instancesLeft!: string[];
  @ApiProperty({ format: 'uuid', description: 'The VpsProvisioningTerminated event' }) eventId!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
  @ApiProperty({ description: 'An earlier call recorded the termination; this is its outcome' })
  replayed!: boolean;
}
