import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { decodeMembershipCursor } from '../../shared/my-memberships';
import { MyMembershipDto } from '../get-me/get-me.http.controller';
import { ListMyMembershipsQuery, type MyMembershipsPage } from './list-my-memberships.query';

export class MyMembershipsPageDto {
  @ApiProperty({ type: [MyMembershipDto] }) items!: MyMembershipDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page (organizations joined later); null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/memberships')
export class ListMyMembershipsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List my memberships' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: MyMembershipsPageDto, description: 'In the order the organizations were joined' })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @QueryParams() params: PageRequestDto,
  ): Promise<MyMembershipsPage> {
    const after = params.cursor !== undefined ? decodeMembershipCursor(params.cursor) : null;
    return this.queryBus.execute(new ListMyMembershipsQuery(user.userId, pageSize(params), after));
  }
}
