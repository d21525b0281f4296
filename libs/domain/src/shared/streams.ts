/** Stream naming, in one place. `<category>-<id>`. */
export const streams = {
  user: (userId: string) => `user-${userId}`,
  /** Reservation of an email address: appended with expectedRevision 'no_stream', so emails stay unique. */
  emailClaim: (email: string) => `useremail-${email.trim().toLowerCase()}`,
  organization: (organizationId: string) => `organization-${organizationId}`,
  /** One API key (its id is derived from the key's public prefix, so a presented key names its stream). */
  apiKey: (keyId: string) => `apikey-${keyId}`,
  wallet: (organizationId: string) => `wallet-${organizationId}`,
  plan: (planId: string) => `plan-${planId}`,
  vps: (vpsId: string) => `vps-${vpsId}`,
  /** The browser SSH console of a server: pinned host key and audited sessions. */
  console: (vpsId: string) => `console-${vpsId}`,
  /** A customer payment (PayPal order or Stripe Checkout Session) and its refunds/disputes. */
  payment: (paymentId: string) => `payment-${paymentId}`,
  /** One verified provider webhook delivery, keyed `<provider>-<provider's event id>` (deduplication). */
  paymentWebhook: (providerEventKey: string) => `paymentwebhook-${providerEventKey}`,
  /** Every payment of an organization (the reconciliation finds them here, not only in a read model). */
  organizationPayments: (organizationId: string) => `organizationpayments-${organizationId}`,
  /** Which payment a provider's capture belongs to, keyed `<provider>-<capture id>` (disputes name the capture only). */
  paymentCapture: (providerCaptureKey: string) => `paymentcapture-${providerCaptureKey}`,
  /** An invoice or credit note (issued once, from a capture or a refund). */
  invoice: (invoiceId: string) => `invoice-${invoiceId}`,
  /** The numbers of one document series (`INV-2026`), taken with an expected revision: gapless, unique. */
  invoiceSeries: (series: string) => `invoiceseries-${series}`,
  billingProfile: (organizationId: string) => `billingprofile-${organizationId}`,
  /** The organization's SSH public keys (one stream: duplicates are refused against the whole set). */
  sshKeys: (organizationId: string) => `sshkeys-${organizationId}`,
  /** The staff-set tax rate of every country: one stream for the platform. */
  taxRates: () => 'taxrates-platform',
  /** The staff-set default inbound firewall policy: one stream for the platform. */
  firewallPolicy: () => 'firewallpolicy-platform',
  reconciliation: (reconciliationId: string) => `reconciliation-${reconciliationId}`,
  /** A server's hourly transfer measurements of one month (`YYYY-MM`): one event per server per hour. */
  transfer: (vpsId: string, month: string) => `transfer-${vpsId}-${month}`,
  /** An organization's transfer month, closed once (its overage charge). */
  transferMonth: (organizationId: string, month: string) => `transfermonth-${organizationId}-${month}`,
  /** The staff-set transfer overage price: one stream for the platform. */
  transferPrice: () => 'transferprice-platform',
  /** Operator actions on one read model (rebuilds), by projection name. */
  projection: (name: string) => `projection-${name}`,
} as const;

/** Category of a stream id ('wallet' for 'wallet-123'). */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}
