import { IsString, MaxLength } from 'class-validator';
import { RoleIdProperty } from '../../../shared/http/role-properties';

/** A role as requests name it; which roles exist is the organization's to say (the decider: invalid_role). */
export class RoleRequestDto {
  @RoleIdProperty()
  @IsString({ message: 'role must be a string' })
  @MaxLength(64, { message: 'role must be at most 64 characters' })
  role!: string;
}
