import { Controller, Get, Header, Param, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { RECONCILIATION_LINE_KINDS, type ReconciliationLineKind } from '@stratus/domain';
import type { Response } from 'express';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { isLineKind, linesToCsv } from '../../shared/billing-replay';
import { ReconciliationDetailDto } from '../../commands/run-reconciliation/run-reconciliation.request.dto';
import { GetReconciliationQuery, type ReconciliationDetail } from './get-reconciliation.query';

function parseKinds(value: string | string[] | undefined): ReconciliationLineKind[] | null {
  if (value === undefined) return null;
  const kinds = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const unknown = kinds.filter((kind) => !isLineKind(kind));
  if (unknown.length > 0) {
    throw ApiError.badRequest('invalid_kind', `kind must be one of ${RECONCILIATION_LINE_KINDS.join(', ')}`, {
      field: 'kind',
      value: unknown,
    });
  }
  return kinds as ReconciliationLineKind[];
}

function requireId(reconciliationId: string): string {
  if (!isUuid(reconciliationId))
    throw new ApiError(404, 'reconciliation_not_found', 'Reconciliation not found');
  return reconciliationId.toLowerCase();
}

@ApiTags('admin')
@Controller('admin/billing/reconciliations/:reconciliationId')
export class GetReconciliationHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** A stored run: summary and lines (each with its resolution), optionally only some kinds. */
  @Get()
  @ApiOperation({ summary: 'Get a reconciliation' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiParam({ name: 'reconciliationId', format: 'uuid' })
  @ApiQuery({
    name: 'kind',
    required: false,
    description: `Comma-separated: ${RECONCILIATION_LINE_KINDS.join(', ')}`,
  })
  @ApiOkResponse({ type: ReconciliationDetailDto, description: 'The run: status, progress and its lines' })
  @ApiErrorResponses({ 404: '' })
  get(
    @Param('reconciliationId') reconciliationId: string,
    @QueryParam('kind') kind?: string | string[],
  ): Promise<ReconciliationDetail> {
    const kinds = parseKinds(kind);
    return this.queryBus.execute(new GetReconciliationQuery(requireId(reconciliationId), kinds));
  }

  /** The run's lines as a CSV download (same filter). */
  @Get('lines.csv')
  @ApiOperation({ summary: "Download a reconciliation's lines as CSV" })
  @RequirePlatformAdmin()
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiParam({ name: 'reconciliationId', format: 'uuid' })
  @ApiQuery({ name: 'kind', required: false })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'lineId,kind,organizationId,vpsId,paymentId,chargeId,periodStart,periodEnd,expected,charged,difference,eventIds',
  })
  @ApiErrorResponses({ 404: '' })
  async csv(
    @Param('reconciliationId') reconciliationId: string,
    @Res({ passthrough: true }) res: Response,
    @QueryParam('kind') kind?: string | string[],
  ): Promise<string> {
    const kinds = parseKinds(kind);
    const id = requireId(reconciliationId);
    const run = await this.queryBus.execute(new GetReconciliationQuery(id, kinds));
    res.setHeader('Content-Disposition', `attachment; filename="reconciliation-${id}.csv"`);
    return linesToCsv(run.lines);
  }
}
