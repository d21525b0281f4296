import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { AddMemberCommand } from './add-member.command';
import { AddMemberRequestDto, MemberChangedResponseDto } from './add-member.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId/members')
export class AddMemberHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Add a member' })
  @HttpCode(201)
  @RequirePermission('members_manage')
  @ApiCreatedResponse({ type: MemberChangedResponseDto })
  async add(
    @Param('orgId') _orgId: string,
    @Body() body: AddMemberRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<MemberChangedResponseDto> {
    const result = await this.commandBus.execute(
      new AddMemberCommand(membership.organizationId, body.email, body.role, context),
    );
    return { ...result, position: positionText(result.position) };
  }
}
