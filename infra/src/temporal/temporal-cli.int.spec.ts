import { Connection } from '@temporalio/client';
import { createTemporalTestEnvironment } from '../testing';
import { findTemporalCli } from './temporal-cli';

test('the Temporal dev server runs from the CLI built from its Go module, with Stratus search attributes', async () => {
  const env = await createTemporalTestEnvironment();
  try {
    expect(findTemporalCli()).not.toBeNull();
    const connection = env.connection as Connection;
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace: env.namespace ?? 'default',
    });
    expect(Object.keys(customAttributes ?? {})).toEqual(
      expect.arrayContaining(['StratusVpsId', 'StratusProvisioningState', 'StratusAttempt']),
    );
  } finally {
    await env.teardown();
  }
});
