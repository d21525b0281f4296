import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { AccountLinks } from '../../shared/account-links';
import { LinkTokenRequestDto } from '../../shared/link-token.request.dto';

@ApiTags('auth')
@Controller('auth/email-verification')
export class VerifyEmailHttpController {
  constructor(private readonly accounts: AccountLinks) {}

  /** Public: the link's token is the authority, whoever follows it (signed in or not). */
  @Post()
  @ApiOperation({ summary: 'Verify an email address with the mailed token' })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: PositionedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_token (unknown or used), token_expired',
    409: 'email_already_verified',
  })
  async verify(
    @Body() body: LinkTokenRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    return { position: positionText(await this.accounts.verifyEmail(body.token, context)) };
  }
}
