import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RoleChangedResponseDto } from '../../shared/role.dto';
import { CreateRoleCommand } from './create-role.command';
import { CreateRoleRequestDto } from './create-role.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId/roles')
export class CreateRoleHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Create a custom role' })
  @HttpCode(201)
  @RequirePermission('members_manage')
  @ApiCreatedResponse({ type: RoleChangedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_role_name; invalid_permissions',
    403: 'permission_not_held: the role would have permissions you do not hold',
    409: 'role_name_taken: a predefined or custom role has this name; too_many_roles',
  })
  async create(
    @Param('orgId') _orgId: string,
    @Body() body: CreateRoleRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<RoleChangedResponseDto> {
    const result = await this.commandBus.execute(
      new CreateRoleCommand(membership.organizationId, body.name, body.permissions, context),
    );
    return { role: result.role, position: positionText(result.position) };
  }
}
