import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/api-keys/:keyId')
export class RevokeApiKeyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Takes effect at once, on every API instance; revoking a revoked key changes nothing. */
  @Delete()
  @ApiOperation({ summary: 'Revoke an API key' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiParam({ name: 'keyId', format: 'uuid' })
  @ApiOkResponse({ type: PositionedResponseDto })
  @ApiErrorResponses({ 404: 'api_key_not_found: not one of your keys' })
  async revoke(
    @Param('keyId') keyId: string,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    const result = await this.commandBus.execute(new RevokeApiKeyCommand(keyId, context));
    return { position: positionText(result.position) };
  }
}
