import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251122050000_read_models } from './Migration20251122050000_read_models';
import { Migration20251201090000_plans_vps_servers } from './Migration20251201090000_plans_vps_servers';
import { Migration20261130100000_event_log } from './Migration20261130100000_event_log';
import { Migration20261130110000_billing_reconciliations } from './Migration20261130110000_billing_reconciliations';
import { Migration20261206040000_reconciliation_runs } from './Migration20261206040000_reconciliation_runs';
import { Migration20261206050000_wallet_transactions_occurred_at } from './Migration20261206050000_wallet_transactions_occurred_at';
import { Migration20261206060000_wallet_outstanding_debt } from './Migration20261206060000_wallet_outstanding_debt';
import { Migration20261206070000_payments } from './Migration20261206070000_payments';
import { Migration20261206090000_invoices } from './Migration20261206090000_invoices';
import { Migration20261206150000_mail_outbox } from './Migration20261206150000_mail_outbox';
import { Migration20261206160000_user_account_security } from './Migration20261206160000_user_account_security';
import { Migration20261206170000_payments_capture_id } from './Migration20261206170000_payments_capture_id';
import { Migration20261206171000_user_sessions } from './Migration20261206171000_user_sessions';
import { Migration20261206172000_auth_throttle } from './Migration20261206172000_auth_throttle';
import { Migration20261206180000_user_mail_preferences } from './Migration20261206180000_user_mail_preferences';
import { Migration20261210120000_api_keys } from './Migration20261210120000_api_keys';
import { Migration20261210130000_rate_limits_websocket_tickets } from './Migration20261210130000_rate_limits_websocket_tickets';
import { Migration20261210140000_invitations_custom_roles } from './Migration20261210140000_invitations_custom_roles';
import { Migration20261211100000_ssh_keys_and_server_operations } from './Migration20261211100000_ssh_keys_and_server_operations';
import { Migration20261212110000_backups_firewall } from './Migration20261212110000_backups_firewall';

/** Every read-model migration, in order. Listed (not globbed) so they run from dist and under jest alike. */
export const READ_MODEL_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20251122050000_read_models', class: Migration20251122050000_read_models },
  { name: 'Migration20251201090000_plans_vps_servers', class: Migration20251201090000_plans_vps_servers },
  { name: 'Migration20261130100000_event_log', class: Migration20261130100000_event_log },
  {
    name: 'Migration20261130110000_billing_reconciliations',
    class: Migration20261130110000_billing_reconciliations,
  },
  { name: 'Migration20261206040000_reconciliation_runs', class: Migration20261206040000_reconciliation_runs },
  {
    name: 'Migration20261206050000_wallet_transactions_occurred_at',
    class: Migration20261206050000_wallet_transactions_occurred_at,
  },
  {
    name: 'Migration20261206060000_wallet_outstanding_debt',
    class: Migration20261206060000_wallet_outstanding_debt,
  },
  { name: 'Migration20261206070000_payments', class: Migration20261206070000_payments },
  { name: 'Migration20261206090000_invoices', class: Migration20261206090000_invoices },
  { name: 'Migration20261206150000_mail_outbox', class: Migration20261206150000_mail_outbox },
  {
    name: 'Migration20261206160000_user_account_security',
    class: Migration20261206160000_user_account_security,
  },
  { name: 'Migration20261206170000_payments_capture_id', class: Migration20261206170000_payments_capture_id },
  { name: 'Migration20261206171000_user_sessions', class: Migration20261206171000_user_sessions },
  { name: 'Migration20261206172000_auth_throttle', class: Migration20261206172000_auth_throttle },
  {
    name: 'Migration20261206180000_user_mail_preferences',
    class: Migration20261206180000_user_mail_preferences,
  },
  { name: 'Migration20261210120000_api_keys', class: Migration20261210120000_api_keys },
  {
    name: 'Migration20261210130000_rate_limits_websocket_tickets',
    class: Migration20261210130000_rate_limits_websocket_tickets,
  },
  {
    name: 'Migration20261210140000_invitations_custom_roles',
    class: Migration20261210140000_invitations_custom_roles,
  },
  {
    name: 'Migration20261211100000_ssh_keys_and_server_operations',
    class: Migration20261211100000_ssh_keys_and_server_operations,
  },
  {
    name: 'Migration20261212110000_backups_firewall',
    class: Migration20261212110000_backups_firewall,
  },
];
