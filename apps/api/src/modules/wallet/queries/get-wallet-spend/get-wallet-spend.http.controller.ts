import { Controller, Get, Inject, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { parseSince } from '../../shared/wallet-query-params';
import { GetWalletSpendQuery, type WalletSpendView } from './get-wallet-spend.query';

/** At most this far back: the answer stays a bounded number of hourly rows. */
export const MAX_SPEND_DAYS = 93;

export class GetWalletSpendRequestDto {
  @ApiProperty({
    description: `ISO-8601 instant with a zone, at most ${MAX_SPEND_DAYS} days ago`,
    example: '2026-11-01T00:00:00Z',
  })
  @IsString()
  @MaxLength(40, { message: 'since must be an ISO-8601 date or time with a zone' })
  since!: string;
}

export class WalletSpendHourDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC hour' }) hour!: string;
  @ApiProperty({ example: '0.010958', description: 'Charges minus refunds in that hour' }) amount!: string;
}

export class WalletSpendResponseDto {
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ example: '12.345678', description: 'Charges minus refunds since `since`' }) total!: string;
  @ApiProperty({ type: [WalletSpendHourDto], description: 'Hours with spend, oldest first' })
  hours!: WalletSpendHourDto[];
}

@ApiTags('wallet')
@Controller('organizations/:orgId/wallet/spend')
export class GetWalletSpendHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: "Sum the wallet's spend per hour" })
  @RequirePermission('billing_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: WalletSpendResponseDto })
  async get(
    @Param('orgId') _orgId: string,
    @QueryParams() params: GetWalletSpendRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<WalletSpendView> {
    const since = parseSince(params.since);
    if (this.clock.now().getTime() - since.getTime() > MAX_SPEND_DAYS * 86_400_000) {
      throw ApiError.badRequest('invalid_since', `since must be at most ${MAX_SPEND_DAYS} days ago`, {
        field: 'since',
      });
    }
    return this.queryBus.execute(new GetWalletSpendQuery(membership.organizationId, since));
  }
}
