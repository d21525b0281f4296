import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { InvoiceDto } from '../../shared/invoice.dto';
import { requireInvoiceId } from '../../shared/invoices-read-model';
import { GetInvoiceQuery } from './get-invoice.query';

@ApiTags('invoices')
@Controller('organizations/:orgId/invoices/:invoiceId')
export class GetInvoiceHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get an invoice or credit note' })
  @RequirePermission('billing_view')
  @ApiParam({ name: 'invoiceId', format: 'uuid' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiErrorResponses({ 404: 'invoice_not_found: no such document in this organization' })
  get(
    @Param('invoiceId') invoiceId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<InvoiceDto> {
    return this.queryBus.execute(new GetInvoiceQuery(membership.organizationId, requireInvoiceId(invoiceId)));
  }
}
