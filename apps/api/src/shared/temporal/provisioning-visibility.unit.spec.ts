import { visibilityQuery } from './provisioning-visibility';

const ORG = '5b6f3c1e-2f4a-4c1b-9a55-0d2a3f4b5c6d';

describe('visibilityQuery', () => {
  it('lists every provisioning workflow without filters', () => {
    expect(visibilityQuery({ state: null, organizationId: null })).toBe(
      "WorkflowType = 'provisioningWorkflow'",
    );
  });

  it.each(['running', 'stuck', 'compensating'] as const)('%s: open runs in that state only', (state) => {
    expect(visibilityQuery({ state, organizationId: ORG })).toBe(
      `WorkflowType = 'provisioningWorkflow' AND StratusProvisioningState = '${state}' AND ` +
        `ExecutionStatus = 'Running' AND StratusOrganizationId = '${ORG}'`,
    );
  });

  it('failed: failed by the workflow, or closed without finishing (terminated by staff)', () => {
    expect(visibilityQuery({ state: 'failed', organizationId: null })).toBe(
      "WorkflowType = 'provisioningWorkflow' AND (StratusProvisioningState = 'failed' OR " +
        "ExecutionStatus = 'Terminated' OR ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut')",
    );
  });
});
