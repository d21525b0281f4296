import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { parseReplayWindow } from '../../shared/billing-replay';
import { RunReconciliationCommand } from './run-reconciliation.command';
import { ReconciliationRequestedDto, RunReconciliationRequestDto } from './run-reconciliation.request.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('admin')
@Controller('admin/billing/reconciliations')
export class RunReconciliationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Requests a replay of the billing of [from, to): 202 with the run id at once; the replay runs as a Temporal
   * workflow and GET …/:reconciliationId shows its status, progress and the lines found.
   */
  @Post()
  @ApiOperation({ summary: 'Request a billing reconciliation (runs in the background)' })
  @HttpCode(202)
  @RequirePlatformAdmin()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the run already requested instead of requesting another',
  })
  @ApiAcceptedResponse({ type: ReconciliationRequestedDto })
  @ApiErrorResponses({ 400: 'Bad window (not ISO, from ≥ to, > 366 days)', 404: 'Unknown organization' })
  async run(
    @Body() body: RunReconciliationRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconciliationRequestedDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ApiError.badRequest(
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 200 printable ASCII characters',
        { header: 'Idempotency-Key' },
      );
    }
    const { from, to } = parseReplayWindow(body.from, body.to);
    const organizationId = body.organizationId ?? null;
    if (organizationId !== null && !isUuid(organizationId)) {
      throw new ApiError(404, 'organization_not_found', 'Organization not found');
    }
    const result = await this.commandBus.execute(
      new RunReconciliationCommand(
        from,
        to,
        organizationId?.toLowerCase() ?? null,
        idempotencyKey ?? null,
        context,
      ),
    );
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/api/admin/billing/reconciliations/${result.run.reconciliationId}`);
    return { ...result.run, position: positionText(result.position) };
  }
}
