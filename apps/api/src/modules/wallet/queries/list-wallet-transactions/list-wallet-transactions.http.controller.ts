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
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListWalletTransactionsQuery, type WalletTransactionsPage } from './list-wallet-transactions.query';
import { decodePositionCursor } from '../../../../shared/read-models/position-cursor';
import { WALLET_MONEY_EVENT_TYPES, type WalletMoneyEvent } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PageRequestDto, pageSize } from '../../../../shared/http/page-request.dto';
import { parseSince } from '../../shared/wallet-query-params';

function parseEntryTypes(text: string): WalletMoneyEvent['type'][] {
  const known: readonly string[] = WALLET_MONEY_EVENT_TYPES;
  const types = text.split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !known.includes(t));
  if (unknown.length > 0 || types.length === 0) {
    throw ApiError.badRequest(
      'invalid_type',
      `type must be entry types separated by commas, among ${WALLET_MONEY_EVENT_TYPES.join(', ')}`,
      { field: 'type', unknown: unknown.slice(0, 5).map((t) => t.slice(0, 40)) },
    );
  }
  return [...new Set(types)] as WalletMoneyEvent['type'][];
}

/** The one paging pair (limit, cursor) plus the ledger's own filters. */
export class ListWalletTransactionsRequestDto extends PageRequestDto {
  @ApiPropertyOptional({
    description: `Only these entry types, comma-separated (${WALLET_MONEY_EVENT_TYPES.join(', ')})`,
    example: 'WalletCharged,WalletChargeFailed',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'type must be entry types separated by commas' })
  type?: string;

  @ApiPropertyOptional({ description: 'Only entries at or after this ISO-8601 instant (with a zone)' })
  @IsOptional()
  @IsString()
  @MaxLength(40, { message: 'since must be an ISO-8601 date or time with a zone' })
  since?: string;
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
    const limit = pageSize(params);
    const before = params.cursor !== undefined ? decodePositionCursor(params.cursor) : null;
    const filter = {
      types: params.type !== undefined ? parseEntryTypes(params.type) : null,
      since: params.since !== undefined ? parseSince(params.since) : null,
    };
    return this.queryBus.execute(
      new ListWalletTransactionsQuery(membership.organizationId, limit, before, filter),
    );
  }
}
