import { ApiProperty } from '@nestjs/swagger';
import { RoleIdProperty } from '../../../shared/http/role-properties';

export class MemberChangedResponseDto {
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;
  @ApiProperty({ format: 'uuid' })
  userId!: string;
  @RoleIdProperty({
    nullable: true,
    description: 'The role (predefined name or custom role id); null once removed',
  })
  role!: string | null;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true })
  position!: string | null;
}
