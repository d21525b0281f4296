import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli } from '../temporal/temporal-cli';
import { SEARCH_ATTRIBUTE_KEYS } from '@stratus/workflows';

/**
 * A real Temporal dev server (the CLI built from its Go module, never downloaded) for one test suite,
 * with Stratus's search attributes registered. Call `env.teardown()` in afterAll.
 */
export async function createTemporalTestEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = ensureTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      extraArgs: ['--log-level', 'warn'],
    },
  });
}
