import { Query } from '@nestjs/cqrs';
import type { EventLogPage, EventLogPageRequest } from '@stratus/projections';

export type ListEventsResult = EventLogPage & Pick<EventLogPageRequest, 'direction' | 'limit'>;

/** One page of the audit log (event_log), filtered, in global order. */
export class ListEventsQuery extends Query<ListEventsResult> {
  constructor(readonly request: EventLogPageRequest) {
    super();
  }
}
