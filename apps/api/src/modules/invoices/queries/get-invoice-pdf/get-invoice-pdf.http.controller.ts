import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { renderInvoicePdf } from '../../shared/billing-pdf';
import type { InvoiceDto } from '../../shared/invoice.dto';
import { requireInvoiceId } from '../../shared/invoices-read-model';
import { GetInvoiceQuery } from '../get-invoice/get-invoice.query';

/** The document as a PDF download (the same read model answer as GET .../invoices/:invoiceId, rendered). */
@ApiTags('invoices')
@Controller('organizations/:orgId/invoices/:invoiceId/pdf')
export class GetInvoicePdfHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Download an invoice or credit note as PDF' })
  @RequirePermission('billing_view')
  @ApiParam({ name: 'invoiceId', format: 'uuid' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF document', schema: { type: 'string', format: 'binary' } })
  @ApiErrorResponses({ 404: 'invoice_not_found: no such document in this organization' })
  async pdf(
    @Param('invoiceId') invoiceId: string,
    @Membership() membership: OrganizationMembership,
    @Res() res: Response,
  ): Promise<void> {
    const invoice: InvoiceDto = await this.queryBus.execute(
      new GetInvoiceQuery(membership.organizationId, requireInvoiceId(invoiceId)),
    );
    const pdf = await renderInvoicePdf(invoice);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${invoice.number}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(pdf);
  }
}
