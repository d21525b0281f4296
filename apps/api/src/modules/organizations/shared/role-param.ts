import { ApiParam } from '@nestjs/swagger';
import { isUuid } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';

/** `:roleId`: a custom role's uuid, or a predefined role's name (which the organization refuses to change). */
export const RoleIdParam = () =>
  ApiParam({ name: 'roleId', description: "A custom role's id (a predefined role's name is refused: 409)" });

export function roleIdFrom(param: string): string {
  if (isUuid(param)) return param.toLowerCase();
  if (/^[a-z_]{1,32}$/.test(param)) return param;
  throw new ApiError(404, 'role_not_found', 'No such role in this organization');
}
