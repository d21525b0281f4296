import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { readStreamAudit, type ProjectionsOrm, type StreamAudit } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetStreamQuery } from './get-stream.query';

@QueryHandler(GetStreamQuery)
export class GetStreamHandler implements IQueryHandler<GetStreamQuery, StreamAudit> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetStreamQuery): Promise<StreamAudit> {
    const audit = await readStreamAudit(this.orm.em.getConnection().getKnex(), query.streamId, {
      at: query.at,
      fromRevision: query.fromRevision,
      limit: query.limit,
    });
    if (!audit)
      throw new ApiError(404, 'stream_not_found', 'No events in this stream', { streamId: query.streamId });
    return audit;
  }
}
