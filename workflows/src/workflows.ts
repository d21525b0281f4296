/** The workflow bundle's entry (the worker's workflowsPath): only workflow functions are exported here. */
export { provisioningWorkflow } from './provisioning.workflow';
export { billingWorkflow } from './billing.workflow';
export { billingReconciliationWorkflow } from './reconciliation.workflow';
export { deletionResignalWorkflow } from './deletion-resignal.workflow';
export { paymentWorkflow } from './payment.workflow';
export {
  transferMeasurementWorkflow,
  transferMonthCloseAllWorkflow,
  transferMonthCloseWorkflow,
} from './transfer.workflow';
export {
  renameServerWorkflow,
  reverseDnsWorkflow,
  // ---- backups and firewall (issue 15) ----
  snapshotServerWorkflow,
  restoreServerWorkflow,
  serverFirewallWorkflow,
  rebuildServerWorkflow,
  resizeServerWorkflow,
  serverBackupsWorkflow,
} from './vps-operations.workflow';
