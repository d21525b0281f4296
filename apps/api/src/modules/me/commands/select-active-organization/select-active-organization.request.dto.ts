import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class SelectActiveOrganizationRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsString({ message: 'organizationId must be a string' })
  @MaxLength(64, { message: 'organizationId is too long' })
  organizationId!: string;
}

export class ActiveOrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) activeOrganizationId!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}
