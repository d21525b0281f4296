import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { PaymentsPageResponseDto } from '../../shared/payments-page.dto';
import { decodePaymentCursor, type PaymentsPage } from '../../shared/payments-read-model';
import { ListPaymentsQuery } from './list-payments.query';

@ApiTags('payments')
@Controller('organizations/:orgId/payments')
export class ListPaymentsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "List the organization's payments" })
  @RequirePermission('billing_manage')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: PaymentsPageResponseDto })
  list(
    @Param('orgId') _orgId: string,
    @QueryParams() params: PageRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<PaymentsPage> {
    return this.queryBus.execute(
      new ListPaymentsQuery(
        membership.organizationId,
        pageSize(params),
        params.cursor !== undefined ? decodePaymentCursor(params.cursor) : null,
      ),
    );
  }
}
