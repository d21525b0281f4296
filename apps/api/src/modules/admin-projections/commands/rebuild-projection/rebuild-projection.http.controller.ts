import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { assertKnownProjection } from '../../shared/projection-rebuilds.service';
import { RebuildProjectionCommand } from './rebuild-projection.command';
import { RebuildAcceptedResponseDto, RebuildProjectionRequestDto } from './rebuild-projection.request.dto';

@ApiTags('admin')
@Controller('admin/projections/:name/rebuild')
export class RebuildProjectionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Accepted, not done: follow it on GET /api/admin/projections/:name (rebuild, then lastRebuild). */
  @Post()
  @ApiOperation({ summary: 'Rebuild a projection' })
  @HttpCode(202)
  @RequirePlatformAdmin()
  @ApiParam({ name: 'name', example: 'wallet-transactions' })
  @ApiAcceptedResponse({ type: RebuildAcceptedResponseDto })
  @ApiErrorResponses({ 404: 'Unknown projection', 409: 'A rebuild of this projection is running' })
  async rebuild(
    @Param('name') name: string,
    @Body() body: RebuildProjectionRequestDto,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RebuildAcceptedResponseDto> {
    assertKnownProjection(name);
    const { rebuildId } = await this.commandBus.execute(
      new RebuildProjectionCommand(name, body?.reason ?? null, context),
    );
    res.setHeader('Location', `/api/admin/projections/${encodeURIComponent(name)}`);
    return { rebuildId, projection: name, status: 'rebuilding' };
  }
}
