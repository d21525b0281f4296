import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { RestoreBackupCommand } from './restore-backup.command';
import { RestoreBackupRequestDto } from './restore-backup.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/backups/:backupId/restore')
export class RestoreBackupHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: "Restore one of the server's backups over it (its disks are overwritten)" })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @RateLimit('providerReads')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiParam({ name: 'backupId', description: 'An id from GET /backups' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; the server is unavailable until it is back, running',
  })
  @ApiErrorResponses({
    400: 'confirm must be true',
    404: 'vps_not_found, backup_not_found (not one of this server’s backups)',
    409: 'backups_not_enabled, vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    502: 'provider_error: the provider refused to list the backups',
    429: 'rate_limited (backup reads of this server: RATE_LIMIT_PROVIDER_READS), with Retry-After',
    503: 'provider_unavailable, or recorded but the workflow could not be started; send the same request again',
  })
  async restore(
    @Param('vpsId') vpsId: string,
    @Param('backupId') backupId: string,
    @Body() _body: RestoreBackupRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new RestoreBackupCommand(membership.organizationId, vpsId, backupId, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
