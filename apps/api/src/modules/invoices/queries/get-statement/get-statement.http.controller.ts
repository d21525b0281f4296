import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { renderStatementPdf } from '../../shared/billing-pdf';
import { StatementDto } from '../../shared/statement.dto';
import { GetStatementQuery } from './get-statement.query';

const PERIOD_PARAM = { name: 'period', description: 'A UTC month, YYYY-MM', example: '2026-05' };

@ApiTags('invoices')
@Controller('organizations/:orgId/statements/:period')
export class GetStatementHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Get a month's usage statement, charges grouped by server" })
  @RequirePermission('billing_view')
  @ApiParam(PERIOD_PARAM)
  @ApiOkResponse({ type: StatementDto })
  get(
    @Param('period') period: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<StatementDto> {
    return this.queryBus.execute(new GetStatementQuery(membership.organizationId, period));
  }

  @Get('pdf')
  @ApiOperation({ summary: "Download a month's usage statement as PDF" })
  @RequirePermission('billing_view')
  @ApiParam(PERIOD_PARAM)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF document', schema: { type: 'string', format: 'binary' } })
  async pdf(
    @Param('period') period: string,
    @Membership() membership: OrganizationMembership,
    @Res() res: Response,
  ): Promise<void> {
    const statement: StatementDto = await this.queryBus.execute(
      new GetStatementQuery(membership.organizationId, period),
    );
    const pdf = await renderStatementPdf(statement);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="statement-${statement.period}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(pdf);
  }
}
