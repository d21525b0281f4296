import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { DeleteSshKeyCommand } from './delete-ssh-key.command';

export class SshKeyDeletedResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

@ApiTags('ssh-keys')
@Controller('organizations/:orgId/ssh-keys/:keyId')
export class DeleteSshKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete an SSH key (servers created with it keep it)' })
  @RequirePermission('ssh_keys_manage')
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @ApiOkResponse({ type: SshKeyDeletedResponseDto })
  @ApiErrorResponses({ 404: "ssh_key_not_found (also another organization's key)" })
  async delete(
    @Param('keyId') keyId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<SshKeyDeletedResponseDto> {
    const result = await this.commandBus.execute(
      new DeleteSshKeyCommand(membership.organizationId, keyId, context),
    );
    return { id: result.keyId, position: positionText(result.position) };
  }
}
