import { Global, Module } from '@nestjs/common';
import type { CloudProvider } from '@stratus/domain';
import { LinodeProvider } from '@stratus/infra';
import { VPS_SETTINGS, type VpsSettings } from '../config/vps-settings';

/** The CloudProvider (Linode adapter) the API calls for catalog lists, power actions and terminations. */
export const CLOUD_PROVIDER = Symbol('CLOUD_PROVIDER');

/** The cloud provider binding, one for the whole API (built from VpsSettings unless a test gives one). */
@Global()
@Module({
  providers: [
    {
      provide: CLOUD_PROVIDER,
      inject: [VPS_SETTINGS],
      useFactory: (settings: VpsSettings): CloudProvider =>
        settings.provider ??
        new LinodeProvider({
          baseUrl: settings.linode.apiUrl,
          token: settings.linode.token,
          // A customer is waiting on the request: fail fast (503) rather than retry for a minute.
          maxRetries: 1,
          timeoutMs: 5000,
          retryBaseMs: 100,
        }),
    },
  ],
  exports: [CLOUD_PROVIDER],
})
export class CloudProviderModule {}
