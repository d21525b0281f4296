import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiParam } from '@nestjs/swagger';
import { hasPermission, type Permission } from '@stratus/domain';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import { ApiAccess, ApiErrorResponses } from '../http/openapi-conventions';
import type { AuthenticatedUser } from './authenticated-user';
import { OrganizationAccess, type OrganizationMembership } from './organization-access.service';

const REQUIRED_PERMISSION = 'stratus:required-permission';
type Requirement = { permission: Permission | null };

type OrgRequest = Request & { user?: AuthenticatedUser; membership?: OrganizationMembership };

/** Guards /organizations/:orgId/*: non-members get 404 (existence is not revealed), members lacking the permission 403. */
@Injectable()
export class OrganizationPermissionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: OrganizationAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.get<Requirement | undefined>(
      REQUIRED_PERMISSION,
      context.getHandler(),
    );
    const req = context.switchToHttp().getRequest<OrgRequest>();
    if (!req.user) throw ApiError.unauthorized();
    const orgId = req.params.orgId;
    const membership = await this.access.requireMembership(
      typeof orgId === 'string' ? orgId : '',
      req.user.userId,
    );
    const permission = requirement?.permission ?? null;
    if (permission !== null && !hasPermission(membership.role, permission)) {
      throw new ApiError(
        403,
        'forbidden',
        `Your role (${membership.role}) lacks the ${permission} permission`,
        {
          permission,
          role: membership.role,
        },
      );
    }
    req.membership = membership;
    return true;
  }
}

/** The route needs membership of :orgId and, when given, that permission. */
export function RequirePermission(permission: Permission | null) {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, { permission } satisfies Requirement),
    UseGuards(OrganizationPermissionGuard),
    ApiBearerAuth(),
    ApiParam({ name: 'orgId', format: 'uuid' }),
    ApiAccess({ kind: 'organization-member', permission }),
    ApiErrorResponses({
      404: 'not_found: unknown organization, or not a member of it',
      ...(permission ? { 403: `forbidden: a member without the ${permission} permission` } : {}),
    }),
  );
}

/** Any member of :orgId. */
export const RequireMembership = () => RequirePermission(null);

/** The membership the guard established. */
export const Membership = createParamDecorator(
  (_: unknown, context: ExecutionContext): OrganizationMembership => {
    const req = context.switchToHttp().getRequest<OrgRequest>();
    if (!req.membership) throw new Error('Membership used without RequirePermission');
    return req.membership;
  },
);
