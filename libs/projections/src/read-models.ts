import type { AnyProjection } from './projection';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { apiKeysProjection } from './api-keys/api-keys.projection';
import { BillingReconciliationEntity } from './billing-reconciliations/billing-reconciliation.entity';
import { billingReconciliationsProjection } from './billing-reconciliations/billing-reconciliations.projection';
import { ProjectionCheckpointEntity } from './checkpoints/projection-checkpoint.entity';
import { BillingProfileEntity, InvoiceEntity, TaxRateEntity } from './invoices/invoice.entity';
import {
  billingProfilesProjection,
  invoicesProjection,
  taxRatesProjection,
} from './invoices/invoices.projection';
import { EventLogEntity } from './event-log/event-log.entity';
import { eventLogProjection } from './event-log/event-log.projection';
import { InvitationEntity } from './invitations/invitation.entity';
import { invitationsProjection } from './invitations/invitations.projection';
import { MembershipEntity } from './memberships/membership.entity';
import { membershipsProjection } from './memberships/memberships.projection';
import { PaymentEntity } from './payments/payment.entity';
import { paymentsProjection } from './payments/payments.projection';
import { PlanEntity } from './plans/plan.entity';
import { plansProjection } from './plans/plans.projection';
import { OrganizationRoleEntity } from './organization-roles/organization-role.entity';
import { organizationRolesProjection } from './organization-roles/organization-roles.projection';
import { OrganizationEntity } from './organizations/organization.entity';
import { organizationsProjection } from './organizations/organizations.projection';
import { SshKeyEntity } from './ssh-keys/ssh-key.entity';
import { sshKeysProjection } from './ssh-keys/ssh-keys.projection';
import { UserSessionEntity } from './user-sessions/user-session.entity';
import { userSessionsProjection } from './user-sessions/user-sessions.projection';
import { UserEntity } from './users/user.entity';
import { usersProjection } from './users/users.projection';
import { VpsServerEntity } from './vps/vps-server.entity';
import { vpsServersProjection } from './vps/vps-servers.projection';
import { WalletTransactionEntity } from './wallet-transactions/wallet-transaction.entity';
import { walletTransactionsProjection } from './wallet-transactions/wallet-transactions.projection';
import { WalletEntity } from './wallets/wallet.entity';
import { FirewallPolicyEntity, firewallPolicyProjection } from './firewall/firewall-policy.projection';
import { walletsProjection } from './wallets/wallets.projection';

export const READ_MODEL_ENTITIES = [
  UserEntity,
  OrganizationEntity,
  MembershipEntity,
  WalletEntity,
  WalletTransactionEntity,
  PlanEntity,
  VpsServerEntity,
  EventLogEntity,
  BillingReconciliationEntity,
  PaymentEntity,
  InvoiceEntity,
  BillingProfileEntity,
  TaxRateEntity,
  UserSessionEntity,
  OrganizationRoleEntity,
  InvitationEntity,
  ApiKeyEntity,
  SshKeyEntity,
  FirewallPolicyEntity,
  ProjectionCheckpointEntity,
];

/** Every projection the workers run, each with its own checkpoint. */
export const PROJECTIONS: readonly AnyProjection[] = [
  usersProjection,
  organizationsProjection,
  membershipsProjection,
  walletsProjection,
  walletTransactionsProjection,
  plansProjection,
  vpsServersProjection,
  eventLogProjection,
  billingReconciliationsProjection,
  paymentsProjection,
  invoicesProjection,
  billingProfilesProjection,
  taxRatesProjection,
  userSessionsProjection,
  organizationRolesProjection,
  invitationsProjection,
  apiKeysProjection,
  sshKeysProjection,
  firewallPolicyProjection,
];

/** Listeners (the API's live updates) hear the projection's name here after each committed batch. */
export const PROJECTIONS_NOTIFY_CHANNEL = 'stratus_projections';

export function findProjection(name: string): AnyProjection {
  const projection = PROJECTIONS.find((p) => p.name === name);
  if (!projection)
    throw new Error(
      `Unknown projection ${JSON.stringify(name)}; known: ${PROJECTIONS.map((p) => p.name).join(', ')}`,
    );
  return projection;
}
