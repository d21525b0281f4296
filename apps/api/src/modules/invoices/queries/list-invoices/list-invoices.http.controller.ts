import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { InvoicesPageResponseDto } from '../../shared/invoice.dto';
import { decodeInvoiceCursor, type InvoicesPage } from '../../shared/invoices-read-model';
import { ListInvoicesQuery } from './list-invoices.query';

@ApiTags('invoices')
@Controller('organizations/:orgId/invoices')
export class ListInvoicesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "List the organization's invoices and credit notes" })
  @RequirePermission('billing_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: InvoicesPageResponseDto })
  list(
    @Param('orgId') _orgId: string,
    @QueryParams() params: PageRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<InvoicesPage> {
    return this.queryBus.execute(
      new ListInvoicesQuery(
        membership.organizationId,
        pageSize(params),
        params.cursor !== undefined ? decodeInvoiceCursor(params.cursor) : null,
      ),
    );
  }
}
