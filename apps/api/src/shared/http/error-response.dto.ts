import { ApiProperty } from '@nestjs/swagger';

export class ErrorResponseDto {
  @ApiProperty({ example: 'validation_failed' })
  error!: string;
  @ApiProperty({ example: 'amount must be a decimal string such as "12.50"' })
  message!: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true })
  details!: Record<string, unknown> | null;
}
