import { ApiProperty } from '@nestjs/swagger';
import { PERMISSIONS } from '@stratus/domain';
import { PositionedResponseDto } from '../../../shared/http/command-response.dto';

export class RoleDto {
  @ApiProperty({
    example: 'admin',
    description: "A predefined role's name, or a custom role's id (uuid): what members and invitations name",
  })
  roleId!: string;
  @ApiProperty({ example: 'admin' }) name!: string;
  @ApiProperty({ description: 'One of the seven predefined roles: cannot be changed or deleted' })
  builtIn!: boolean;
  @ApiProperty({ enum: PERMISSIONS, isArray: true }) permissions!: string[];
}

export class RoleChangedResponseDto extends PositionedResponseDto {
  @ApiProperty({ type: RoleDto, nullable: true, description: 'null once deleted' }) role!: RoleDto | null;
}
