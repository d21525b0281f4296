import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { parseReplayWindow } from '../../shared/billing-replay';
import { RunReconciliationCommand } from './run-reconciliation.command';
import { ReconciliationRunDto, RunReconciliationRequestDto } from './run-reconciliation.request.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('admin')
@Controller('admin/billing/reconciliations')
export class RunReconciliationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Replays the billing of [from, to) over the event history and stores the result as a run. */
  @Post()
  @ApiOperation({ summary: 'Run a billing reconciliation' })
  @HttpCode(201)
  @RequirePlatformAdmin()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the stored run instead of running again',
  })
  @ApiCreatedResponse({ type: ReconciliationRunDto })
  @ApiErrorResponses({ 400: 'Bad window (not ISO, from ≥ to, > 366 days)', 404: 'Unknown organization' })
  async run(
    @Body() body: RunReconciliationRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ReconciliationRunDto> {
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
    return { ...result.run, position: positionText(result.position) };
  }
}
