import { Module } from '@nestjs/common';
import { ExportEventsHttpController } from './queries/export-events/export-events.http.controller';
import { GetCorrelationHandler } from './queries/get-correlation/get-correlation.handler';
import { GetCorrelationHttpController } from './queries/get-correlation/get-correlation.http.controller';
import { GetStreamHandler } from './queries/get-stream/get-stream.handler';
import { GetStreamHttpController } from './queries/get-stream/get-stream.http.controller';
import { ListEventsHandler } from './queries/list-events/list-events.handler';
import { ListEventsHttpController } from './queries/list-events/list-events.http.controller';

/**
 * Admin event history (platform role admin): the audit log (event_log read model) filtered and paged,
 * a stream's state at any revision or time, a request's consequences, and a streamed export.
 */
@Module({
  controllers: [
    ListEventsHttpController,
    ExportEventsHttpController,
    GetStreamHttpController,
    GetCorrelationHttpController,
  ],
  providers: [ListEventsHandler, GetStreamHandler, GetCorrelationHandler],
})
export class AdminEventsModule {}
