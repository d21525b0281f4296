import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SetTransferPriceCommand } from './set-transfer-price.command';
import {
  SetTransferPriceRequestDto,
  TransferPriceUpdatedResponseDto,
} from './set-transfer-price.request.dto';

@ApiTags('admin')
@Controller('admin/billing/transfer-price')
export class SetTransferPriceHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: "Set the network transfer overage price per GB (billed at each month's close)" })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: TransferPriceUpdatedResponseDto })
  async set(
    @Body() body: SetTransferPriceRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<TransferPriceUpdatedResponseDto> {
    const result = await this.commandBus.execute(new SetTransferPriceCommand(body.pricePerGb, context));
    return { pricePerGb: result.pricePerGb, position: positionText(result.position) };
  }
}
