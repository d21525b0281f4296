import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class RebuildProjectionRequestDto {
  @ApiPropertyOptional({ example: 'wallet-transactions evolve fixed in 1.4.2', minLength: 1, maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @Length(1, 500, { message: 'reason must be 1 to 500 characters' })
  reason?: string;
}

export class RebuildAcceptedResponseDto {
  @ApiProperty({ format: 'uuid' }) rebuildId!: string;
  @ApiProperty({ example: 'wallet-transactions' }) projection!: string;
  @ApiProperty({ enum: ['rebuilding'] }) status!: 'rebuilding';
}
