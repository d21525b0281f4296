import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ApiKeyDto } from '../../shared/api-key.dto';
import { decodeApiKeyCursor } from './list-api-keys.handler';
import { ListApiKeysQuery, type ApiKeysPage } from './list-api-keys.query';

export class ApiKeysPageDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page (older keys); null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/api-keys')
export class ListApiKeysHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List my API keys' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: ApiKeysPageDto, description: 'Newest first, revoked and expired keys included' })
  list(@CurrentUser() user: AuthenticatedUser, @QueryParams() params: PageRequestDto): Promise<ApiKeysPage> {
    const after = params.cursor !== undefined ? decodeApiKeyCursor(params.cursor) : null;
    return this.queryBus.execute(new ListApiKeysQuery(user.userId, pageSize(params), after));
  }
}
