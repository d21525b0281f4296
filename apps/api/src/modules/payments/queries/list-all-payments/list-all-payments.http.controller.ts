import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { PaymentRowStatus } from '@stratus/projections';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { PaymentsPageResponseDto } from '../../shared/payments-page.dto';
import { decodePaymentCursor, type PaymentsPage } from '../../shared/payments-read-model';
import { ListAllPaymentsQuery } from './list-all-payments.query';

const STATUSES: PaymentRowStatus[] = [
  'initiated',
  'approved',
  'captured',
  'failed',
  'expired',
  'refunded',
  'disputed',
];

export class ListAllPaymentsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One payment (the staff detail page)' })
  @IsOptional()
  @IsUUID('all', { message: 'paymentId must be a uuid' })
  paymentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a uuid' })
  organizationId?: string;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: PaymentRowStatus;

  @ApiPropertyOptional({ enum: ['paypal', 'stripe'] })
  @IsOptional()
  @IsIn(['paypal', 'stripe'], { message: 'provider must be paypal or stripe' })
  provider?: 'paypal' | 'stripe';
}

@ApiTags('admin')
@Controller('admin/payments')
export class ListAllPaymentsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List payments of every organization' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: PaymentsPageResponseDto })
  list(@QueryParams() params: ListAllPaymentsRequestDto): Promise<PaymentsPage> {
    return this.queryBus.execute(
      new ListAllPaymentsQuery(
        {
          paymentId: params.paymentId?.toLowerCase() ?? null,
          organizationId: params.organizationId?.toLowerCase() ?? null,
          status: params.status ?? null,
          provider: params.provider ?? null,
        },
        pageSize(params),
        params.cursor !== undefined ? decodePaymentCursor(params.cursor) : null,
      ),
    );
  }
}
