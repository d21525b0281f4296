import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { CreateOrganizationCommand } from './create-organization.command';
import {
  CreateOrganizationRequestDto,
  OrganizationCreatedResponseDto,
} from './create-organization.request.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class CreateOrganizationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Create an organization' })
  @HttpCode(201)
  @RateLimit('organizationCreation')
  @ApiCreatedResponse({ type: OrganizationCreatedResponseDto })
  @ApiErrorResponses({
    429: 'rate_limited (organizations created by this user: RATE_LIMIT_ORGANIZATION_CREATION)',
  })
  async create(
    @Body() body: CreateOrganizationRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<OrganizationCreatedResponseDto> {
    const result = await this.commandBus.execute(
      new CreateOrganizationCommand(body.name, user.userId, context),
    );
    return {
      organizationId: result.organizationId,
      name: result.name,
      role: 'owner',
      position: positionText(result.position),
    };
  }
}
