import { ApiProperty } from '@nestjs/swagger';
import { ORGANIZATION_ROLES } from '@stratus/domain';

/** A role as every answer and request names it. */
export const RoleIdProperty = (options: { nullable?: boolean; description?: string } = {}) =>
  ApiProperty({
    type: String,
    example: 'admin',
    nullable: options.nullable,
    description:
      options.description ??
      `A predefined role (${ORGANIZATION_ROLES.join(', ')}) or the id of one of the organization's custom roles`,
  });

/** How a role is called: the predefined role's name or the custom role's. */
export const RoleNameProperty = () =>
  ApiProperty({ example: 'admin', description: "The predefined role's name, or the custom role's name" });
