import type { CloudProvider, ProviderImage } from '@stratus/domain';
import { ApiError } from '../../../shared/errors/api-error';
import { ProviderCatalog } from './provider-catalog.service';

const image: ProviderImage = {
  id: 'linode/debian12',
  label: 'Debian 12',
  vendor: 'Debian',
  deprecated: false,
};

/** Counts calls; fails while `down` is set. Only the list methods are used by the cache. */
function fakeProvider() {
  const state = { calls: 0, down: false };
  const provider = {
    listImages: async () => {
      state.calls++;
      await Promise.resolve();
      if (state.down) throw new Error('connect ECONNREFUSED');
      return [image];
    },
    listRegions: async () => [],
    listTypes: async () => [],
  } as unknown as CloudProvider;
  return { provider, state };
}

describe('ProviderCatalog', () => {
  let now = 0;
  const clock = { now: () => new Date(now) };

  it('asks the provider once per TTL, sharing one request between concurrent misses', async () => {
    const { provider, state } = fakeProvider();
    const catalog = new ProviderCatalog(provider, { providerCacheTtlMs: 1000 }, clock);
    now = 0;
    const [a, b] = await Promise.all([catalog.images(), catalog.images()]);
    expect(a).toEqual([image]);
    expect(b).toEqual([image]);
    expect(state.calls).toBe(1);
    now = 999;
    await catalog.images();
    expect(state.calls).toBe(1);
    now = 1000;
    await catalog.images();
    expect(state.calls).toBe(2);
  });

  it('serves a stale list while the provider is down, and answers 503 when nothing was ever cached', async () => {
    const { provider, state } = fakeProvider();
    const catalog = new ProviderCatalog(provider, { providerCacheTtlMs: 1000 }, clock);
    state.down = true;
    now = 0;
    const error = await catalog.images().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).getStatus()).toBe(503);
    expect((error as ApiError).error).toBe('provider_unavailable');

    state.down = false;
    expect(await catalog.images()).toEqual([image]);
    state.down = true;
    now = 5000;
    expect(await catalog.images()).toEqual([image]);
    expect(state.calls).toBe(3);
  });
});
