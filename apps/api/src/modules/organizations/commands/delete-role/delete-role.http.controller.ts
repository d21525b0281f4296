import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RoleChangedResponseDto } from '../../shared/role.dto';
import { roleIdFrom, RoleIdParam } from '../../shared/role-param';
import { DeleteRoleCommand } from './delete-role.command';

@ApiTags('organizations')
@Controller('organizations/:orgId/roles/:roleId')
export class DeleteRoleHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @ApiOperation({ summary: 'Delete a custom role' })
  @RequirePermission('members_manage')
  @RoleIdParam()
  @ApiOkResponse({ type: RoleChangedResponseDto })
  @ApiErrorResponses({
    403: 'permission_not_held: the role has permissions you do not hold',
    404: 'role_not_found',
    409: 'built_in_role; role_in_use: members or pending invitations have it (details.members, details.invitations)',
  })
  async delete(
    @Param('roleId') roleId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<RoleChangedResponseDto> {
    const result = await this.commandBus.execute(
      new DeleteRoleCommand(membership.organizationId, roleIdFrom(roleId), context),
    );
    return { role: result.role, position: positionText(result.position) };
  }
}
