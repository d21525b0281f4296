import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { GetWalletQuery, type WalletView } from './get-wallet.query';

export class WalletResponseDto {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ example: '12.345678', description: 'Decimal string, 6 decimals' }) balance!: string;
  @ApiProperty({
    example: '0.000000',
    description:
      'Charges left unpaid by deleted servers (decimal string): not part of the balance, collected from the next credit',
  })
  outstandingDebt!: string;
  @ApiProperty({ enum: ['USD'] }) currency!: 'USD';
  @ApiProperty() transactionCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

@ApiTags('wallet')
@Controller('organizations/:orgId/wallet')
export class GetWalletHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get the wallet' })
  @RequirePermission('billing_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: WalletResponseDto })
  async get(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<WalletView> {
    return this.queryBus.execute(new GetWalletQuery(membership.organizationId));
  }
}
