import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { parseMoney } from '@stratus/domain';
import type { Response } from 'express';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { CreditWalletCommand } from './credit-wallet.command';
import { CreditWalletRequestDto, WalletCreditedResponseDto } from './credit-wallet.request.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('admin')
@Controller('admin/organizations/:orgId/wallet/credits')
export class CreditWalletHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: "Credit an organization's wallet" })
  @HttpCode(201)
  @RequirePlatformAdmin()
  @ApiParam({ name: 'orgId', format: 'uuid' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the original credit instead of crediting twice',
  })
  @ApiCreatedResponse({ type: WalletCreditedResponseDto })
  @ApiErrorResponses({ 404: 'Unknown organization' })
  async credit(
    @Param('orgId') orgId: string,
    @Body() body: CreditWalletRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<WalletCreditedResponseDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw ApiError.badRequest(
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 200 printable ASCII characters',
        {
          header: 'Idempotency-Key',
        },
      );
    }
    const amount = parseMoney(body.amount, { field: 'amount' });
    if (!isUuid(orgId)) throw new ApiError(404, 'organization_not_found', 'Organization not found');
    const result = await this.commandBus.execute(
      new CreditWalletCommand(orgId.toLowerCase(), amount, body.reason, idempotencyKey ?? null, context),
    );
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return {
      transactionId: result.transactionId,
      balance: result.balance,
      position: positionText(result.position),
    };
  }
}
