import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { GetMailOutboxQuery } from './get-mail-outbox.query';
import { MailOutboxDto } from './mail-outbox.dto';

@ApiTags('admin')
@Controller('admin/mail')
export class GetMailOutboxHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Mail outbox: counts, failed and unconfirmed mails' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: MailOutboxDto })
  get(): Promise<MailOutboxDto> {
    return this.queryBus.execute(new GetMailOutboxQuery());
  }
}
