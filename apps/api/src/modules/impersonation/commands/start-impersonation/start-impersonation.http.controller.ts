import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { userDto } from '../../../auth/user.dto';
import { StartImpersonationCommand } from './start-impersonation.command';
import {
  ImpersonationSessionResponseDto,
  StartImpersonationRequestDto,
} from './start-impersonation.request.dto';

@ApiTags('admin')
@Controller('admin/users/:userId/impersonate')
export class StartImpersonationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * A session as the user for at most an hour: every event appended in it names the staff member
   * (impersonatorId); payments, password, 2FA, API keys and mail settings are refused; the user is mailed.
   */
  @Post()
  @ApiOperation({ summary: 'Impersonate a user (staff)' })
  @RequirePlatformAdmin()
  @HttpCode(201)
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiCreatedResponse({ type: ImpersonationSessionResponseDto })
  @ApiErrorResponses({
    403: 'staff_not_impersonable: the user is platform staff',
    404: 'user_not_found',
  })
  async start(
    @Param('userId') userId: string,
    @Body() body: StartImpersonationRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<ImpersonationSessionResponseDto> {
    const started = await this.commandBus.execute(
      new StartImpersonationCommand(userId, body.reason, context),
    );
    return {
      token: started.token,
      sessionId: started.sessionId,
      expiresAt: started.expiresAt.toISOString(),
      user: userDto(started.user),
      position: positionText(started.position),
    };
  }
}
