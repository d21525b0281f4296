import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class AbortProvisioningRequestDto {
  @ApiProperty({ example: 'Region us-east cannot boot new instances today', minLength: 1, maxLength: 1000 })
  @IsString({ message: 'reason is required: why the provisioning is aborted' })
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason!: string;
}
