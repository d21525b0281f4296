import { Controller, Get, Logger, Query as QueryParams, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import {
  exportEventLog,
  parseCursor,
  parseEventLogFilter,
  writeNdjson,
  type ProjectionsOrm,
  type RawParams,
} from '@stratus/projections';
import { Inject } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import type { Response } from 'express';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { EventLogFilterRequestDto } from '../../shared/event-log.dto';
import { parsedOr400 } from '../../shared/event-log-params';

export class ExportEventsRequestDto extends EventLogFilterRequestDto {
  @ApiPropertyOptional({
    description: 'Resume after this position (exclusive), e.g. the last line of an interrupted export',
    example: '7841/1203',
  })
  @IsOptional()
  @IsString()
  after?: string;
}

/**
 * The whole filtered history as JSON Lines, in global order, streamed page by page through the keyset
 * cursor: memory stays flat for millions of events, a slow client slows the reads (backpressure), and a
 * client that disconnects stops them.
 */
@ApiTags('admin')
@Controller('admin/events/export')
export class ExportEventsHttpController {
  private readonly logger = new Logger('ExportEvents');

  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  @Get()
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'Export events',
    description: 'Export the filtered event history as JSON Lines (same items as GET /admin/events)',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One event per line, shaped and redacted like GET /api/admin/events items' })
  async export(@QueryParams() params: ExportEventsRequestDto, @Res() res: Response): Promise<void> {
    const { filter, after } = parsedOr400(() => {
      const { after: afterText, ...filters } = params;
      return {
        filter: parseEventLogFilter({ ...filters } as RawParams),
        after: afterText === undefined ? null : parseCursor('after', afterText),
      };
    });
    res.status(200);
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.flushHeaders();
    try {
      await writeNdjson(exportEventLog(this.orm.em.getConnection().getKnex(), filter, { after }), res);
      if (!res.destroyed) res.end();
    } catch (error) {
      // Headers are gone: the only honest signal left is a cut connection (no final newline).
      this.logger.error(`export failed: ${error instanceof Error ? error.message : String(error)}`);
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
