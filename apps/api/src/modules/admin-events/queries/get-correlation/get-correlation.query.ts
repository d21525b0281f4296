import { Query } from '@nestjs/cqrs';
import type { EventLogPage } from '@stratus/projections';
import type { Position } from '@stratus/eventstore';

/** Everything one request caused, across streams, in global order. */
export class GetCorrelationQuery extends Query<EventLogPage> {
  constructor(
    readonly correlationId: string,
    readonly after: Position | null,
    readonly limit: number,
  ) {
    super();
  }
}
