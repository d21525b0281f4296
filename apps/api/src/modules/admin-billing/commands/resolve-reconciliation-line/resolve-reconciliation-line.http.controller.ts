import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { parseMoney } from '@stratus/domain';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { ResolveReconciliationLineCommand } from './resolve-reconciliation-line.command';
import {
  ReconciliationLineResolvedResponseDto,
  ResolveReconciliationLineRequestDto,
} from './resolve-reconciliation-line.request.dto';

@ApiTags('admin')
@Controller('admin/billing/reconciliations/:reconciliationId/lines/:lineId/resolve')
export class ResolveReconciliationLineHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** A correction is never an edit: a wallet adjustment referencing the charge, and a resolution on the run. */
  @Post()
  @ApiOperation({ summary: 'Resolve a reconciliation line' })
  @HttpCode(201)
  @RequirePlatformAdmin()
  @ApiParam({ name: 'reconciliationId', format: 'uuid' })
  @ApiParam({ name: 'lineId' })
  @ApiCreatedResponse({ type: ReconciliationLineResolvedResponseDto })
  @ApiErrorResponses({ 404: 'Unknown run or line', 409: 'Already resolved, or an unpaid period' })
  async resolve(
    @Param('reconciliationId') reconciliationId: string,
    @Param('lineId') lineId: string,
    @Body() body: ResolveReconciliationLineRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<ReconciliationLineResolvedResponseDto> {
    const amount =
      body.amount === undefined ? null : parseMoney(body.amount, { field: 'amount', allowNegative: true });
    if (!isUuid(reconciliationId)) {
      throw new ApiError(404, 'reconciliation_not_found', 'Reconciliation not found');
    }
    const result = await this.commandBus.execute(
      new ResolveReconciliationLineCommand(
        reconciliationId.toLowerCase(),
        lineId,
        body.reason.trim(),
        amount,
        context,
      ),
    );
    return { ...result, position: positionText(result.position) };
  }
}
