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
import type { Permission } from '@stratus/domain';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import { ApiAccess, ApiErrorResponses } from '../http/openapi-conventions';
import type { AuthenticatedUser } from './authenticated-user';
import { AllowApiKey } from './credential-policy';
import {
  assertPermission,
  OrganizationAccess,
  type OrganizationMembership,
} from './organization-access.service';

const REQUIRED_PERMISSION = 'stratus:required-permission';
type Requirement = { permission: Permission | null };

type OrgRequest = Request & { user?: AuthenticatedUser; membership?: OrganizationMembership };

/**
 * Guards /organizations/:orgId/*: non-members get 404 (existence is not revealed), members lacking the permission
 * 403. An API key reaches its own organization only (any other is 404), with its scopes ∩ its owner's permissions.
 */
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
    const orgId = typeof req.params.orgId === 'string' ? req.params.orgId : '';
    const { apiKey } = req.user;
    if (apiKey && apiKey.organizationId !== orgId) throw ApiError.notFound('Organization not found');
    const membership = await this.access.requireMembership(orgId, req.user.userId, apiKey?.permissions);
    const permission = requirement?.permission ?? null;
    if (permission !== null) assertPermission(membership, permission);
    req.membership = membership;
    return true;
  }
}

/** The route needs membership of :orgId and, when given, that permission. */
export function RequirePermission(permission: Permission | null) {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, { permission } satisfies Requirement),
    UseGuards(OrganizationPermissionGuard),
    AllowApiKey(),
    ApiBearerAuth(),
    ApiParam({ name: 'orgId', format: 'uuid' }),
    ApiAccess({ kind: 'organization-member', permission }),
    ApiErrorResponses({
      404: "not_found: unknown organization, or not a member of it (or not an API key's organization)",
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
