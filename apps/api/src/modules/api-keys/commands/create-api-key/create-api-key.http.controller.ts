import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { CreateApiKeyCommand } from './create-api-key.command';
import { CreateApiKeyRequestDto, CreatedApiKeyResponseDto } from './create-api-key.request.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/api-keys')
export class CreateApiKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** The answer holds the key in full, the only time it is shown. */
  @Post()
  @ApiOperation({ summary: 'Create an API key' })
  @RefusedWhileImpersonating()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiErrorResponses({
    403: 'permission_not_held: a scope you do not hold in the organization',
    404: 'not_found: unknown organization, or not a member of it',
  })
  async create(
    @Body() body: CreateApiKeyRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<CreatedApiKeyResponseDto> {
    const created = await this.commandBus.execute(
      new CreateApiKeyCommand(
        user.userId,
        {
          name: body.name,
          organizationId: body.organizationId.toLowerCase(),
          permissions: body.permissions,
          expiresAt: body.expiresAt ?? null,
          allowedIps: body.allowedIps ?? [],
        },
        context,
      ),
    );
    const { state } = created;
    return {
      key: created.key,
      id: state.keyId,
      prefix: state.prefix,
      name: state.name,
      organizationId: state.organizationId,
      organizationName: created.organizationName,
      permissions: state.permissions,
      allowedIps: state.allowedIps,
      createdAt: state.createdAt,
      expiresAt: state.expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      status: 'active',
      position: positionText(created.position),
    };
  }
}
