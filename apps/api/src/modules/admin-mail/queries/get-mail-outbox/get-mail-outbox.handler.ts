import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { mailOutboxOverview, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetMailOutboxQuery } from './get-mail-outbox.query';
import type { MailOutboxDto } from './mail-outbox.dto';

@QueryHandler(GetMailOutboxQuery)
export class GetMailOutboxHandler implements IQueryHandler<GetMailOutboxQuery, MailOutboxDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(): Promise<MailOutboxDto> {
    const overview = await mailOutboxOverview(this.orm.em.getConnection().getKnex());
    return {
      counts: overview.counts,
      problems: overview.problems.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
      recent: overview.recent.map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        sentAt: r.sentAt?.toISOString() ?? null,
        confirmedAt: r.confirmedAt?.toISOString() ?? null,
      })),
    };
  }
}
