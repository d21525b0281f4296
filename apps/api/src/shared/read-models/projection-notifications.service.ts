import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PROJECTIONS_NOTIFY_CHANNEL } from '@stratus/projections';
import { Client } from 'pg';
import { API_CONFIG, type ApiConfig } from '../config/api-config';

/**
 * Hears a projection's name after each batch it commits, or null each time the LISTEN connection is (re)established
 * (anything may have changed while nobody listened).
 */
export type ProjectionNotificationListener = (projection: string | null) => void;

const RECONNECT_MS = 1000;

/**
 * The API's one LISTEN connection on `stratus_projections`, shared by read-your-writes waits and the live
 * updates. Opened by the first listener; reconnects after a loss and then tells every listener (null).
 */
@Injectable()
export class ProjectionNotifications implements OnModuleDestroy {
  private readonly logger = new Logger('ProjectionNotifications');
  private readonly listeners = new Set<ProjectionNotificationListener>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {}

  /** Starts listening (once) and resolves when the LISTEN is in place or has failed (then it retries). */
  async listen(listener: ProjectionNotificationListener): Promise<() => void> {
    this.listeners.add(listener);
    if (!this.client) await (this.connecting ??= this.connect());
    return () => this.listeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private emit(projection: string | null): void {
    for (const listener of this.listeners) {
      try {
        listener(projection);
      } catch (error) {
        this.logger.warn(`a projection listener failed: ${String(error)}`);
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', (message) => this.emit(message.payload ?? ''));
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
      this.client = null;
      void client.end().catch(() => undefined);
      this.retryLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PROJECTIONS_NOTIFY_CHANNEL}`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.emit(null);
    } catch (error) {
      this.logger.warn(`could not LISTEN on ${PROJECTIONS_NOTIFY_CHANNEL}: ${String(error)}; retrying`);
      await client.end().catch(() => undefined);
      this.retryLater();
    } finally {
      this.connecting = null;
    }
  }

  private retryLater(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (!this.client && !this.connecting) this.connecting = this.connect();
    }, RECONNECT_MS).unref();
  }
}
