import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { AddSshKeyCommand } from './add-ssh-key.command';
import { AddSshKeyRequestDto, SshKeyAddedResponseDto } from './add-ssh-key.request.dto';

@ApiTags('ssh-keys')
@Controller('organizations/:orgId/ssh-keys')
export class AddSshKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an SSH public key to the organization' })
  @RequirePermission('ssh_keys_manage')
  @ApiCreatedResponse({ type: SshKeyAddedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_public_key, unsupported_key_type, weak_public_key (RSA under 2048 bits), invalid_name',
    409: 'ssh_key_duplicate (the organization has this key already; details name it), too_many_ssh_keys',
  })
  async add(
    @Param('orgId') _orgId: string,
    @Body() body: AddSshKeyRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<SshKeyAddedResponseDto> {
    const result = await this.commandBus.execute(
      new AddSshKeyCommand(membership.organizationId, body.name, body.publicKey, context),
    );
    return { key: result.key, position: positionText(result.position) };
  }
}
