import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiParam, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { DeleteVpsCommand } from './delete-vps.command';

export class VpsDeletionAcceptedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['deleting'] }) status!: 'deleting';
  @ApiProperty({ type: String, example: '7841/1203', nullable: true }) position!: string | null;
}

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId')
export class DeleteVpsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @ApiOperation({ summary: 'Delete a server' })
  @HttpCode(202)
  @RequirePermission('vps_delete')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({ type: VpsDeletionAcceptedDto })
  @ApiErrorResponses({
    409: 'Already deleted',
    503: 'Recorded, but the workflow could not be signalled; retry',
  })
  async delete(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsDeletionAcceptedDto> {
    const result = await this.commandBus.execute(
      new DeleteVpsCommand(membership.organizationId, vpsId, context),
    );
    return { id: result.vpsId, status: 'deleting', position: positionText(result.position) };
  }
}
