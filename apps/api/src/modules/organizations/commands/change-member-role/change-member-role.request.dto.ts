import { RoleRequestDto } from '../../shared/role-request';

export class ChangeMemberRoleRequestDto extends RoleRequestDto {}
