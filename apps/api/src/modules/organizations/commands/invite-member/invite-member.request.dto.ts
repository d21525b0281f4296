import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { PositionedResponseDto } from '../../../../shared/http/command-response.dto';
import { RoleIdProperty, RoleNameProperty } from '../../../../shared/http/role-properties';
import { RoleRequestDto } from '../../shared/role-request';

export class InviteMemberRequestDto extends RoleRequestDto {
  @ApiProperty({ example: 'colleague@example.com', maxLength: 254 })
  @IsString({ message: 'email must be a string' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsEmail({}, { message: 'email must be a valid address such as name@example.com' })
  email!: string;
}

export class InvitationCreatedResponseDto extends PositionedResponseDto {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: 'colleague@example.com' }) email!: string;
  @RoleIdProperty() role!: string;
  @RoleNameProperty() roleName!: string;
  @ApiProperty({ format: 'date-time', description: 'Seven days from now' }) expiresAt!: string;
}
