import { Controller, Get, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiQuery, ApiTags, ApiOperation } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { ListReconciliationsQuery, type ReconciliationList } from './list-reconciliations.query';
import { ReconciliationListDto } from '../../commands/run-reconciliation/run-reconciliation.request.dto';

const MAX_LIMIT = 100;

function parseCursor(value: string): { createdAt: Date; reconciliationId: string } {
  const text = Buffer.from(value, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const createdAt = new Date(text.slice(0, bar));
  if (bar === -1 || Number.isNaN(createdAt.getTime()) || bar === text.length - 1) {
    throw ApiError.badRequest('invalid_cursor', 'before must be a nextCursor returned by this list', {
      field: 'before',
    });
  }
  return { createdAt, reconciliationId: text.slice(bar + 1) };
}

@ApiTags('admin')
@Controller('admin/billing/reconciliations')
export class ListReconciliationsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  /** Stored reconciliation runs, newest first (summaries only; GET …/:id has the lines). */
  @Get()
  @ApiOperation({ summary: 'List reconciliations' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiQuery({ name: 'limit', required: false, description: `1 to ${MAX_LIMIT}, default 20` })
  @ApiQuery({ name: 'before', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: ReconciliationListDto })
  async list(
    @QueryParam('limit') limitText?: string,
    @QueryParam('before') before?: string,
  ): Promise<ReconciliationList> {
    let limit = 20;
    if (limitText !== undefined) {
      limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) {
        throw ApiError.badRequest('invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`, {
          field: 'limit',
        });
      }
    }
    return this.queryBus.execute(
      new ListReconciliationsQuery(
        limit,
        typeof before === 'string' && before !== '' ? parseCursor(before) : null,
      ),
    );
  }
}
