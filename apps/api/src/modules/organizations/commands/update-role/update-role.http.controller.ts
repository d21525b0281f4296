import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RoleChangedResponseDto } from '../../shared/role.dto';
import { roleIdFrom, RoleIdParam } from '../../shared/role-param';
import { UpdateRoleCommand } from './update-role.command';
import { UpdateRoleRequestDto } from './update-role.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId/roles/:roleId')
export class UpdateRoleHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Its members have the new permissions at once. */
  @Patch()
  @ApiOperation({ summary: 'Change a custom role' })
  @RequirePermission('members_manage')
  @RoleIdParam()
  @ApiOkResponse({ type: RoleChangedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_role_name; invalid_permissions',
    403: 'permission_not_held: the role has, or would have, permissions you do not hold',
    404: 'role_not_found',
    409: 'built_in_role: the predefined roles cannot be changed; role_name_taken',
  })
  async update(
    @Param('roleId') roleId: string,
    @Body() body: UpdateRoleRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<RoleChangedResponseDto> {
    const result = await this.commandBus.execute(
      new UpdateRoleCommand(
        membership.organizationId,
        roleIdFrom(roleId),
        { name: body.name, permissions: body.permissions },
        context,
      ),
    );
    return { role: result.role, position: positionText(result.position) };
  }
}
