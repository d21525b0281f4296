import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CloudProvider, ProviderImage, ProviderPlanType, ProviderRegion } from '@stratus/domain';
import { ApiError } from '../../../shared/errors/api-error';
import { CLOCK, systemClock, type Clock } from '../../../shared/event-sourcing/tokens';
import { VPS_SETTINGS, type VpsSettings } from '../../../shared/config/vps-settings';
import { CLOUD_PROVIDER } from '../../../shared/provider/cloud-provider.module';

interface Entry<T> {
  value: T;
  fetchedAt: number;
}

export function providerUnavailable(what: string, cause: unknown): ApiError {
  return new ApiError(
    503,
    'provider_unavailable',
    `The cloud provider could not be reached to list ${what}; try again shortly`,
    { resource: what, reason: cause instanceof Error ? cause.message.slice(0, 200) : String(cause) },
    { 'Retry-After': '5' },
  );
}

/**
 * The provider's regions, images and plan types, kept in memory for a few minutes: they change rarely and
 * every create request checks the image against them. Concurrent misses share one request. When a refresh
 * fails, a stale list is still served (better than refusing every create); with nothing cached it is a 503.
 */
@Injectable()
export class ProviderCatalog {
  private readonly logger = new Logger('ProviderCatalog');
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
    @Inject(VPS_SETTINGS) private readonly settings: Pick<VpsSettings, 'providerCacheTtlMs'>,
    @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  regions(): Promise<ProviderRegion[]> {
    return this.cached('regions', () => this.provider.listRegions());
  }

  images(): Promise<ProviderImage[]> {
    return this.cached('images', () => this.provider.listImages());
  }

  types(): Promise<ProviderPlanType[]> {
    return this.cached('types', () => this.provider.listTypes());
  }

  private async cached<T>(name: string, fetch: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(name) as Entry<T> | undefined;
    const now = this.clock.now().getTime();
    if (entry && now - entry.fetchedAt < this.settings.providerCacheTtlMs) return entry.value;
    let pending = this.inflight.get(name) as Promise<T> | undefined;
    if (!pending) {
      pending = fetch().then((value) => {
        this.entries.set(name, { value, fetchedAt: this.clock.now().getTime() });
        return value;
      });
      const shared = pending.finally(() => this.inflight.delete(name));
      shared.catch(() => undefined);
      this.inflight.set(name, shared);
    }
    try {
      return await pending;
    } catch (error) {
      if (entry) {
        this.logger.warn(`refreshing ${name} failed, serving the cached list: ${String(error)}`);
        return entry.value;
      }
      throw providerUnavailable(name, error);
    }
  }
}
