import { Module } from '@nestjs/common';
import { API_CONFIG } from '../../shared/config/api-config';
import { IssueLiveTicketHttpController } from './commands/issue-live-ticket/issue-live-ticket.http.controller';
import { LiveGateway } from './gateway/live.gateway';
import { LIVE_SETTINGS, resolveLiveSettings } from './shared/live-settings';
import { LiveTicketService } from './shared/live-ticket.service';
import { ProjectionChangeFeed } from './shared/projection-change-feed.service';

/** Live updates for the portal: tickets over HTTP, projection changes over a WebSocket at /api/live. */
@Module({
  controllers: [IssueLiveTicketHttpController],
  providers: [
    { provide: LIVE_SETTINGS, inject: [API_CONFIG], useFactory: resolveLiveSettings },
    LiveTicketService,
    ProjectionChangeFeed,
    LiveGateway,
  ],
})
export class LiveModule {}
