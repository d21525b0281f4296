import { Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { CONSOLE_SETTINGS, CONSOLE_WS_PATH, type ConsoleSettings } from '../../shared/console-settings';
import { CreateConsoleTicketCommand } from './create-console-ticket.command';
import { ConsoleTicketResponseDto } from './create-console-ticket.request.dto';

@ApiTags('console')
@Controller('organizations/:orgId/vps/:vpsId/console-tickets')
export class CreateConsoleTicketHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('vps_manage')
  @RateLimit('tickets')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiOperation({
    summary: 'Open a console ticket',
    description: 'A single-use ticket (30 s) to open the browser SSH console WebSocket of an active server',
  })
  @ApiCreatedResponse({ type: ConsoleTicketResponseDto })
  @ApiErrorResponses({
    409: 'vps_not_active: the server is not running',
    429: 'too_many_tickets (unused tickets), rate_limited (tickets per user: RATE_LIMIT_TICKETS)',
  })
  async create(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
  ): Promise<ConsoleTicketResponseDto> {
    const issued = await this.commandBus.execute(
      new CreateConsoleTicketCommand(membership.organizationId, vpsId, user),
    );
    return {
      ticket: issued.ticket,
      expiresAt: issued.expiresAt.toISOString(),
      websocketUrl:
        this.settings.publicWsUrl ??
        `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.get('host')}${CONSOLE_WS_PATH}`,
    };
  }
}
