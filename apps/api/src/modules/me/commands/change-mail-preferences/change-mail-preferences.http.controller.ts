import { Body, Controller, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { mailPreferencesView } from '../../queries/get-mail-preferences/mail-preferences.dto';
import { ChangeMailPreferencesCommand } from './change-mail-preferences.command';
import {
  ChangedMailPreferencesDto,
  ChangeMailPreferencesRequestDto,
} from './change-mail-preferences.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/mail-preferences')
export class ChangeMailPreferencesHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @ApiOperation({ summary: 'Choose which optional mails the signed-in user gets' })
  @RefusedWhileImpersonating()
  @ApiOkResponse({ type: ChangedMailPreferencesDto })
  @ApiErrorResponses({
    400: 'invalid_mail_preferences: a name that is not an optional mail (security mails cannot be turned off)',
  })
  async change(
    @Body() body: ChangeMailPreferencesRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<ChangedMailPreferencesDto> {
    const result = await this.commandBus.execute(
      new ChangeMailPreferencesCommand(user.userId, body.optedOut, context),
    );
    return { ...mailPreferencesView(result.optedOut), position: positionText(result.position) };
  }
}
