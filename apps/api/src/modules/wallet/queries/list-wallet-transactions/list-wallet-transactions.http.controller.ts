import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListWalletTransactionsQuery, type WalletTransactionsPage } from './list-wallet-transactions.query';
import { decodeCursor } from './transaction-cursor';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class ListWalletTransactionsRequestDto {
  @ApiPropertyOptional({ description: `1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}`, example: '20' })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[1-9]|[1-9][0-9]|100)$/, { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}` })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(80, { message: 'cursor is not one this API returned' })
  cursor?: string;
}

export class WalletTransactionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'WalletCredited' }) type!: string;
  @ApiProperty({ example: '25.000000', description: 'Signed: charges are negative' }) amount!: string;
  @ApiProperty({ type: String, nullable: true, description: 'What a failed charge tried to take' })
  attemptedAmount!: string | null;
  @ApiProperty({ example: '25.000000' }) balanceAfter!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: String, nullable: true }) reference!: string | null;
  @ApiProperty({ type: String, nullable: true }) chargeId!: string | null;
  @ApiProperty() actorUserId!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: '7841/1203' }) position!: string;
}

export class WalletTransactionsResponseDto {
  @ApiProperty({ type: [WalletTransactionDto] }) items!: WalletTransactionDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next (older) page; null on the last page',
  })
  nextCursor!: string | null;
}

@ApiTags('wallet')
@Controller('organizations/:orgId/wallet/transactions')
export class ListWalletTransactionsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List wallet transactions' })
  @RequirePermission('billing_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: WalletTransactionsResponseDto })
  async list(
    @Param('orgId') _orgId: string,
    @QueryParams() params: ListWalletTransactionsRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<WalletTransactionsPage> {
    const limit = params.limit ? Number(params.limit) : DEFAULT_PAGE_SIZE;
    const before = params.cursor !== undefined ? decodeCursor(params.cursor) : null;
    return this.queryBus.execute(new ListWalletTransactionsQuery(membership.organizationId, limit, before));
  }
}
