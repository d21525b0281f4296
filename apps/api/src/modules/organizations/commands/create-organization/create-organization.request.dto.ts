import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateOrganizationRequestDto {
  @ApiProperty({ example: 'Acme Hosting', minLength: 1, maxLength: 100 })
  @IsString({ message: 'name must be a string' })
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name!: string;
}

export class OrganizationCreatedResponseDto {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ example: 'owner' })
  role!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true })
  position!: string | null;
}
