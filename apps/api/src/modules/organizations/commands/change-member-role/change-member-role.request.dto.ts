import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_ROLES, type OrganizationRole } from '@stratus/domain';
import { IsIn } from 'class-validator';

export class ChangeMemberRoleRequestDto {
  @ApiProperty({ enum: ORGANIZATION_ROLES })
  @IsIn(ORGANIZATION_ROLES as unknown as string[], {
    message: `role must be one of ${ORGANIZATION_ROLES.join(', ')}`,
  })
  role!: OrganizationRole;
}
