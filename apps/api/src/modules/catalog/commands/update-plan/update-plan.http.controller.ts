import { Body, Controller, HttpCode, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { parseMoney } from '@stratus/domain';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { UpdatePlanRequestDto } from '../../shared/plan-input.dto';
import { PlanCommandResponseDto } from '../../shared/plan.dto';
import { planView } from '../../shared/plan-view';
import type { PlanInput } from '../create-plan/create-plan.command';
import { UpdatePlanCommand } from './update-plan.command';

@ApiTags('admin')
@Controller('admin/plans/:planId')
export class UpdatePlanHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch()
  @ApiOperation({ summary: 'Update a plan' })
  @HttpCode(200)
  @RequirePlatformAdmin()
  @ApiParam({ name: 'planId', format: 'uuid' })
  @ApiOkResponse({ type: PlanCommandResponseDto, description: 'The plan after the change' })
  @ApiErrorResponses({ 404: '' })
  async update(
    @Param('planId') planId: string,
    @Body() body: UpdatePlanRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<PlanCommandResponseDto> {
    const changes: Partial<PlanInput> = {};
    if (body.name !== undefined) changes.name = body.name.trim();
    if (body.providerPlanId !== undefined) changes.providerPlanId = body.providerPlanId;
    if (body.regions !== undefined) changes.regions = body.regions;
    if (body.baseMonthlyPrice !== undefined)
      changes.baseMonthlyPrice = parseMoney(body.baseMonthlyPrice, { field: 'baseMonthlyPrice' });
    if (body.markup !== undefined)
      changes.markup = parseMoney(body.markup, { field: 'markup', allowZero: true });
    if (body.backupUpcharge !== undefined)
      changes.backupUpcharge = parseMoney(body.backupUpcharge, { field: 'backupUpcharge', allowZero: true });
    if (body.active !== undefined) changes.active = body.active;
    if (Object.keys(changes).length === 0) {
      throw ApiError.badRequest('validation_failed', 'Send at least one field to change', { fields: [] });
    }
    const result = await this.commandBus.execute(new UpdatePlanCommand(planId, changes, context));
    return { ...planView(result.plan), position: positionText(result.position) };
  }
}
