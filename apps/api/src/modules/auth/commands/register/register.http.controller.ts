import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { TokenService } from '../../../../shared/auth/token.service';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { userDto } from '../../user.dto';
import { RegisterCommand } from './register.command';
import { RegisterRequestDto, RegisterResponseDto } from './register.request.dto';

@ApiTags('auth')
@Controller('auth')
export class RegisterHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly tokens: TokenService,
  ) {}

  @Post('register')
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'email_taken' })
  async register(
    @Body() body: RegisterRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<RegisterResponseDto> {
    const result = await this.commandBus.execute(
      new RegisterCommand(body.email, body.password, body.name, context),
    );
    const organization = result.organization!;
    return {
      token: this.tokens.issue(result.user),
      user: userDto(result.user),
      organization: { id: organization.organizationId, name: organization.name, role: 'owner' },
      position: positionText(result.position),
    };
  }
}
