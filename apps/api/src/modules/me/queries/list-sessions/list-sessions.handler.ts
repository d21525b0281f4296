import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UserSessionEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListSessionsQuery, type SessionView } from './list-sessions.query';

/** Open sessions are few per user; past this many the oldest are left out of the list. */
const MAX_LISTED_SESSIONS = 100;

@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<ListSessionsQuery, { sessions: SessionView[] }> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ userId, currentSessionId }: ListSessionsQuery): Promise<{ sessions: SessionView[] }> {
    const rows = await this.orm.em
      .fork()
      .find(
        UserSessionEntity,
        { userId, revokedAt: null },
        { orderBy: { signedInAt: 'desc', id: 'desc' }, limit: MAX_LISTED_SESSIONS },
      );
    return {
      sessions: rows.map((row) => ({
        id: row.id,
        ip: row.ip,
        userAgent: row.userAgent,
        signedInAt: row.signedInAt.toISOString(),
        current: row.id === currentSessionId,
        staffAccess: row.impersonatorId !== null,
      })),
    };
  }
}
