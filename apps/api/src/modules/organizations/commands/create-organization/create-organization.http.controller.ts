import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
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
  @ApiCreatedResponse({ type: OrganizationCreatedResponseDto })
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
