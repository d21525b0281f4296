import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { RetryPolicy } from '@stratus/domain';
import { CommandExecutor, type EventStore, type SnapshotStorePort } from '@stratus/eventstore';
import type { ProjectionsOrm } from '@stratus/projections';
import {
  AUTH_THROTTLE_OPTIONS,
  type AuthThrottleOptions,
} from '../modules/auth/shared/auth-throttle.service';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator.service';
import { ApiKeyUsage } from './auth/api-key-usage.service';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { JwtStrategy } from './auth/jwt.strategy';
import { OrganizationAccess } from './auth/organization-access.service';
import { PlatformAdminGuard } from './auth/platform-admin.guard';
import { OrganizationPermissionGuard } from './auth/require-permission.decorator';
import { SessionChecker } from './auth/session-checker.service';
import { TokenService } from './auth/token.service';
import { API_CONFIG, type ApiConfig } from './config/api-config';
import { PAYMENT_SETTINGS, resolvePaymentSettings } from './config/payment-settings';
import { RATE_LIMIT_SETTINGS, resolveRateLimitSettings } from './config/rate-limit-settings';
import { resolveVpsSettings, VPS_SETTINGS } from './config/vps-settings';
import { commandExecutorProvider } from './event-sourcing/command-executor.provider';
import { CLOCK, EVENT_STORE, SNAPSHOT_STORE, systemClock, type Clock } from './event-sourcing/tokens';
import { MinPositionInterceptor } from './read-models/min-position.interceptor';
import { ProjectionNotifications } from './read-models/projection-notifications.service';
import { ProjectionWaiter } from './read-models/projection-waiter.service';
import { PROJECTIONS_ORM } from './read-models/tokens';
import { RateLimitGuard, RateLimitInterceptor } from './rate-limit/rate-limit.guard';
import { RateLimiter } from './rate-limit/rate-limiter.service';
import { WebSocketTickets } from './websocket-tickets/websocket-tickets.store';
import { UserDirectory } from './users/user-directory.service';

/** Connections opened before Nest boots (migrations run first); closed when the app closes. */
export interface ApiResources {
  config: ApiConfig;
  eventStore: EventStore;
  orm: ProjectionsOrm;
  snapshotStore: SnapshotStorePort | null;
  /** Extra cleanup (e.g. the snapshot pool), run after the event store and ORM are closed. */
  close?: () => Promise<void>;
  clock?: Clock;
  retryPolicy?: RetryPolicy;
  /** Whether app.close() closes the connections (false when the caller owns them, e.g. tests). */
  ownsResources?: boolean;
  /** Attempt limits (login, registration, mail resends); tests shorten them. */
  authThrottle?: Partial<AuthThrottleOptions>;
}

const RESOURCES = Symbol('API_RESOURCES');

class ResourceCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('ResourceCloser');
  constructor(
    @Inject(RESOURCES) private readonly resources: ApiResources,
    private readonly executor: CommandExecutor,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.executor.flush();
    if (this.resources.ownsResources === false) return;
    const results = await Promise.allSettled([
      this.resources.eventStore.close(),
      this.resources.orm.close(true),
    ]);
    for (const r of results)
      if (r.status === 'rejected') this.logger.warn(`close failed: ${String(r.reason)}`);
    await this.resources
      .close?.()
      .catch((error: unknown) => this.logger.warn(`close failed: ${String(error)}`));
  }
}

/** The infrastructure every feature module uses: event store, read models, auth, request plumbing. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(resources: ApiResources): DynamicModule {
    const providers: Provider[] = [
      { provide: RESOURCES, useValue: resources },
      { provide: API_CONFIG, useValue: resources.config },
      { provide: VPS_SETTINGS, inject: [API_CONFIG], useFactory: resolveVpsSettings },
      { provide: PAYMENT_SETTINGS, inject: [API_CONFIG], useFactory: resolvePaymentSettings },
      {
        provide: RATE_LIMIT_SETTINGS,
        inject: [API_CONFIG],
        useFactory: (config: ApiConfig) => resolveRateLimitSettings(config.rateLimits),
      },
      { provide: EVENT_STORE, useValue: resources.eventStore },
      { provide: PROJECTIONS_ORM, useValue: resources.orm },
      { provide: SNAPSHOT_STORE, useValue: resources.snapshotStore },
      { provide: CLOCK, useValue: resources.clock ?? systemClock },
      { provide: AUTH_THROTTLE_OPTIONS, useValue: resources.authThrottle ?? {} },
      commandExecutorProvider(resources.retryPolicy),
      OrganizationAccess,
      UserDirectory,
      ProjectionNotifications,
      ProjectionWaiter,
      TokenService,
      SessionChecker,
      ApiKeyUsage,
      ApiKeyAuthenticator,
      JwtStrategy,
      PlatformAdminGuard,
      OrganizationPermissionGuard,
      ResourceCloser,
      RateLimiter,
      WebSocketTickets,
      // In this order: the rate limit needs the session guard's principal.
      { provide: APP_GUARD, useClass: JwtAuthGuard },
      { provide: APP_GUARD, useClass: RateLimitGuard },
      // Refused requests do not wait for the read models first.
      { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor },
      { provide: APP_INTERCEPTOR, useClass: MinPositionInterceptor },
    ];
    return {
      module: CoreModule,
      imports: [CqrsModule.forRoot(), PassportModule, JwtModule.register({})],
      providers,
      exports: [
        API_CONFIG,
        VPS_SETTINGS,
        PAYMENT_SETTINGS,
        RATE_LIMIT_SETTINGS,
        EVENT_STORE,
        PROJECTIONS_ORM,
        SNAPSHOT_STORE,
        CLOCK,
        CommandExecutor,
        OrganizationAccess,
        UserDirectory,
        ProjectionNotifications,
        ProjectionWaiter,
        TokenService,
        SessionChecker,
        ApiKeyUsage,
        PlatformAdminGuard,
        OrganizationPermissionGuard,
        WebSocketTickets,
        CqrsModule,
        AUTH_THROTTLE_OPTIONS,
      ],
    };
  }
}
