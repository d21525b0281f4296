import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SelectActiveOrganizationCommand } from './select-active-organization.command';
import {
  ActiveOrganizationResponseDto,
  SelectActiveOrganizationRequestDto,
} from './select-active-organization.request.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/active-organization')
export class SelectActiveOrganizationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Choose the active organization' })
  @HttpCode(200)
  @ApiOkResponse({ type: ActiveOrganizationResponseDto })
  @ApiErrorResponses({ 404: 'Not a member of that organization (or it does not exist)' })
  async select(
    @Body() body: SelectActiveOrganizationRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<ActiveOrganizationResponseDto> {
    const result = await this.commandBus.execute(
      new SelectActiveOrganizationCommand(user.userId, body.organizationId, context),
    );
    return { activeOrganizationId: result.activeOrganizationId, position: positionText(result.position) };
  }
}
