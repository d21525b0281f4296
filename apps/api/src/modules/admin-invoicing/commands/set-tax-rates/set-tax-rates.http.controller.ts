import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SetTaxRatesCommand } from './set-tax-rates.command';
import { SetTaxRatesRequestDto, TaxRatesUpdatedResponseDto } from './set-tax-rates.request.dto';

@ApiTags('admin')
@Controller('admin/tax-rates')
export class SetTaxRatesHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the tax rates of every country' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: TaxRatesUpdatedResponseDto })
  async set(
    @Body() body: SetTaxRatesRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<TaxRatesUpdatedResponseDto> {
    const result = await this.commandBus.execute(new SetTaxRatesCommand(body.rates, context));
    return { rates: result.rates, position: positionText(result.position) };
  }
}
