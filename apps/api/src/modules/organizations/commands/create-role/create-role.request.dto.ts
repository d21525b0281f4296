import { ApiProperty, PartialType } from '@nestjs/swagger';
import { MAX_ROLE_NAME_LENGTH, PERMISSIONS, type Permission } from '@stratus/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, MaxLength } from 'class-validator';

export class CreateRoleRequestDto {
  @ApiProperty({ example: 'Billing clerk', maxLength: MAX_ROLE_NAME_LENGTH })
  @IsString({ message: 'name must be a string' })
  @MaxLength(MAX_ROLE_NAME_LENGTH, { message: `name must be at most ${MAX_ROLE_NAME_LENGTH} characters` })
  name!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: 'Only permissions you hold yourself' })
  @IsArray({ message: 'permissions must be an array' })
  @ArrayMinSize(1, { message: 'permissions must name at least one permission' })
  @ArrayMaxSize(PERMISSIONS.length, {
    message: `permissions names at most ${PERMISSIONS.length} permissions`,
  })
  @IsIn(PERMISSIONS as unknown as string[], {
    each: true,
    message: `each permission must be one of ${PERMISSIONS.join(', ')}`,
  })
  permissions!: Permission[];
}

/** Omitted fields stay as they are. */
export class UpdateRoleRequestDto extends PartialType(CreateRoleRequestDto) {}
