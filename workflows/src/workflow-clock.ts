/**
 * Workflow time. Inside a Temporal workflow `Date` is deterministic (the time of the workflow task,
 * the same on replay), which is why the workflows may read it although the domain never reads a clock.
 */
export function workflowNow(): number {
  // eslint-disable-next-line no-restricted-properties -- deterministic inside the workflow sandbox
  return Date.now();
}
