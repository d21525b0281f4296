import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../../shared/config/api-config';
import { CatalogModule } from '../catalog/catalog.module';
import { HealthModule } from '../health/health.module';
import { CreateConsoleTicketHandler } from './commands/create-console-ticket/create-console-ticket.handler';
import { CreateConsoleTicketHttpController } from './commands/create-console-ticket/create-console-ticket.http.controller';
import { ConsoleGateway } from './session/console.gateway';
import { ConsoleMetrics } from './session/console-metrics';
import { ConsoleSessionRecovery } from './session/console-session-recovery.service';
import { ConsoleSessions } from './session/console-sessions.service';
import { ConsoleAccess } from './shared/console-access.service';
import { ConsoleAudit } from './shared/console-audit.service';
import { CONSOLE_SETTINGS, resolveConsoleSettings } from './shared/console-settings';
import { ConsoleTickets } from './shared/console-tickets.service';

/** Browser SSH console: tickets over HTTP, the shell over a WebSocket (protocol in session/console.gateway.ts). */
@Module({
  imports: [CatalogModule, HealthModule],
  controllers: [CreateConsoleTicketHttpController],
  providers: [
    {
      provide: CONSOLE_SETTINGS,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig) => resolveConsoleSettings(config),
    },
    ConsoleTickets,
    ConsoleAccess,
    ConsoleAudit,
    ConsoleSessions,
    ConsoleSessionRecovery,
    ConsoleMetrics,
    CreateConsoleTicketHandler,
    ConsoleGateway,
  ],
})
export class ConsoleModule {}
