import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { PowerActionCommand } from './power-action.command';
import { PowerActionRequestDto, PowerActionResponseDto } from './power-action.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/actions')
export class PowerActionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Boot, shut down or reboot a server' })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @RateLimit('powerActions')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: PowerActionResponseDto, description: 'The provider accepted the action' })
  @ApiErrorResponses({
    409: 'The server’s state does not allow it',
    429: 'rate_limited (power actions on this server: RATE_LIMIT_POWER_ACTIONS), with Retry-After',
    502: 'provider_error',
    503: 'provider_unavailable',
  })
  async act(
    @Param('vpsId') vpsId: string,
    @Body() body: PowerActionRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<PowerActionResponseDto> {
    const result = await this.commandBus.execute(
      new PowerActionCommand(membership.organizationId, vpsId, body.action, context),
    );
    return { id: result.vpsId, action: result.action, position: positionText(result.position) };
  }
}
