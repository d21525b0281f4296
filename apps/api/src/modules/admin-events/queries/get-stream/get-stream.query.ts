import { Query } from '@nestjs/cqrs';
import type { StateAt, StreamAudit } from '@stratus/projections';

/** A stream's events and its aggregate's state, now or at a revision / time. */
export class GetStreamQuery extends Query<StreamAudit> {
  constructor(
    readonly streamId: string,
    readonly at: StateAt,
    readonly fromRevision: bigint,
    readonly limit: number,
  ) {
    super();
  }
}
