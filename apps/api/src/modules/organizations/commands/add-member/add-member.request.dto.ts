import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_ROLES, type OrganizationRole } from '@stratus/domain';
import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';

export class AddMemberRequestDto {
  @ApiProperty({ example: 'colleague@example.com', maxLength: 254 })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid address such as name@example.com' })
  email!: string;

  @ApiProperty({ enum: ORGANIZATION_ROLES })
  @IsIn(ORGANIZATION_ROLES as unknown as string[], {
    message: `role must be one of ${ORGANIZATION_ROLES.join(', ')}`,
  })
  role!: OrganizationRole;
}

export class MemberChangedResponseDto {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;
  @ApiProperty({ format: 'uuid' })
  userId!: string;
  @ApiProperty({ enum: ORGANIZATION_ROLES, nullable: true, description: 'null once removed' })
  role!: OrganizationRole | null;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true })
  position!: string | null;
}
