import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ResizeVpsRequestDto {
  @ApiProperty({ format: 'uuid', description: 'An active plan offered in the server’s region' })
  @IsUUID('all', { message: 'planId must be a plan id (uuid)' })
  planId!: string;
}
