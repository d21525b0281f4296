export * from './contracts';
export * from './activities';
export type { ProvisioningResult } from './provisioning.workflow';
export type { BillingResult } from './billing.workflow';
export type { BillingReconciliationResult } from './reconciliation.workflow';
export type { PaymentResult } from './payment.workflow';
export { PRE_PATCH_FIXTURE_PREFIX } from './replay-fixtures';
