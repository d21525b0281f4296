import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { INVITATION_LINK_ERRORS, InvitationForYouDto } from '../../shared/invitation.dto';
import { GetInvitationQuery } from './get-invitation.query';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations/:token')
export class GetInvitationHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Only for the signed-in user it was sent to, with their address verified. */
  @Get()
  @ApiOperation({ summary: 'Show an invitation sent to you' })
  @ApiParam({ name: 'token', description: 'The token of the mailed link' })
  @ApiOkResponse({ type: InvitationForYouDto })
  @ApiErrorResponses(INVITATION_LINK_ERRORS)
  get(@Param('token') token: string, @CurrentUser() user: AuthenticatedUser): Promise<InvitationForYouDto> {
    return this.queryBus.execute(new GetInvitationQuery(token, user.userId));
  }
}
