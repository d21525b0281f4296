import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, sessionOf, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListSessionsQuery } from './list-sessions.query';

export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Address the session signed in from' }) ip!: string;
  @ApiProperty({ description: 'Browser (User-Agent) the session signed in with' }) userAgent!: string;
  @ApiProperty({ format: 'date-time' }) signedInAt!: string;
  @ApiProperty({ description: 'The session of this request' }) current!: boolean;
  @ApiProperty({
    description: 'Opened by platform staff acting as you (impersonation); address and browser are theirs',
  })
  staffAccess!: boolean;
}

export class SessionsResponseDto {
  @ApiProperty({ type: [SessionDto] }) sessions!: SessionDto[];
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/sessions')
export class ListSessionsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List my open sessions' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: SessionsResponseDto })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<SessionsResponseDto> {
    return this.queryBus.execute(new ListSessionsQuery(user.userId, sessionOf(user)));
  }
}
