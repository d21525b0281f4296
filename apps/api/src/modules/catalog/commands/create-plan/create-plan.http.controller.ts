import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { parseMoney } from '@stratus/domain';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { CreatePlanRequestDto } from '../../shared/plan-input.dto';
import { PlanCommandResponseDto } from '../../shared/plan.dto';
import { planView } from '../../shared/plan-view';
import { CreatePlanCommand } from './create-plan.command';

@ApiTags('admin')
@Controller('admin/plans')
export class CreatePlanHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Create a plan' })
  @HttpCode(201)
  @RequirePlatformAdmin()
  @ApiCreatedResponse({ type: PlanCommandResponseDto })
  async create(
    @Body() body: CreatePlanRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<PlanCommandResponseDto> {
    const result = await this.commandBus.execute(
      new CreatePlanCommand(
        {
          name: body.name.trim(),
          providerPlanId: body.providerPlanId,
          regions: body.regions,
          baseMonthlyPrice: parseMoney(body.baseMonthlyPrice, { field: 'baseMonthlyPrice' }),
          markup: parseMoney(body.markup, { field: 'markup', allowZero: true }),
          backupUpcharge: parseMoney(body.backupUpcharge, { field: 'backupUpcharge', allowZero: true }),
          active: body.active ?? true,
        },
        context,
      ),
    );
    return { ...planView(result.plan), position: positionText(result.position) };
  }
}
