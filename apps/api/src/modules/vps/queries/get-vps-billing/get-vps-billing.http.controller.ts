import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiParam, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import {
  assertPermission,
  type OrganizationMembership,
} from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { decodePositionCursor } from '../../../../shared/read-models/position-cursor';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { GetVpsBillingQuery, type VpsBillingView } from './get-vps-billing.query';

export class VpsChargeDto {
  @ApiProperty({ format: 'uuid', description: 'The ledger entry (wallet event id)' }) id!: string;
  @ApiProperty({ example: 'WalletCharged' }) type!: string;
  @ApiProperty({ example: 'vps-…:2026-01-01T00:00:00.000Z' }) chargeId!: string;
  @ApiProperty({ example: '-0.010958' }) amount!: string;
  @ApiProperty({ type: String, nullable: true }) attemptedAmount!: string | null;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: '7841/1203' }) position!: string;
}

export class VpsBillingDto {
  @ApiProperty({ format: 'uuid' }) vpsId!: string;
  @ApiProperty({ example: '0.010958' }) hourlyPrice!: string;
  @ApiProperty({ example: '8.000000' }) monthlyPrice!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastBilledAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) billedUntil!: string | null;
  @ApiProperty({ example: '0.021916', description: 'Charges minus refunds, over all pages' })
  totalCharged!: string;
  @ApiProperty({ type: [VpsChargeDto], description: 'One page of the charges, newest first' })
  charges!: VpsChargeDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next (older) page of charges; null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/billing')
export class GetVpsBillingHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Get a server's billing" })
  @RequirePermission('vps_view')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: VpsBillingDto, description: 'Needs vps_view and billing_view' })
  get(
    @Param('vpsId') vpsId: string,
    @QueryParams() params: PageRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsBillingView> {
    assertPermission(membership, 'billing_view');
    const before = params.cursor !== undefined ? decodePositionCursor(params.cursor) : null;
    return this.queryBus.execute(
      new GetVpsBillingQuery(membership.organizationId, vpsId, pageSize(params), before),
    );
  }
}
