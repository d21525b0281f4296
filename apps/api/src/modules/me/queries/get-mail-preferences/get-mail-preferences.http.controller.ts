import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { GetMailPreferencesQuery } from './get-mail-preferences.query';
import { MailPreferencesDto } from './mail-preferences.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/mail-preferences')
export class GetMailPreferencesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get which optional mails the signed-in user gets' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: MailPreferencesDto })
  get(@CurrentUser() user: AuthenticatedUser): Promise<MailPreferencesDto> {
    return this.queryBus.execute(new GetMailPreferencesQuery(user.userId));
  }
}
