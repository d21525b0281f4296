import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { LIVE_TICKET_TTL_SECONDS, LiveTicketService } from '../../shared/live-ticket.service';

export class LiveTicketResponseDto {
  @ApiProperty({
    description: `Single-use, valid ${LIVE_TICKET_TTL_SECONDS} s: connect to ws(s)://<api>/api/live?ticket=<ticket>`,
  })
  ticket!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

/**
 * A ticket for the live-updates WebSocket. The web server calls this with the session token while it renders a
 * page, so the browser can open the socket without ever holding the token.
 */
@ApiTags('live')
@ApiBearerAuth()
@Controller('live/tickets')
export class IssueLiveTicketHttpController {
  constructor(private readonly tickets: LiveTicketService) {}

  @Post()
  @ApiOperation({ summary: 'Open a live-updates ticket' })
  @HttpCode(200)
  @RateLimit('tickets')
  @ApiOkResponse({ type: LiveTicketResponseDto })
  @ApiErrorResponses({ 429: 'rate_limited (tickets per user: RATE_LIMIT_TICKETS), with Retry-After' })
  issue(@CurrentUser() user: AuthenticatedUser): LiveTicketResponseDto {
    return this.tickets.issue(user.userId);
  }
}
