/**
 * Which mails an event calls for, and to whom. Recipients are read from the read models in the reactor's
 * transaction: a user event goes to the user; a server's activation, resumption and failed provisioning to the
 * organization's owners and admins; money (low balance, suspension for lack of funds) to every member whose role
 * can see billing (billing_view).
 */
import type { Knex } from '@mikro-orm/postgresql';
import { formatMoney, money, ROLE_PERMISSIONS, type OrganizationRole } from '@stratus/domain';
import type { RecordedEvent } from '@stratus/eventstore';
import type { MailTemplateData, MailTemplateName } from './mail-templates';

export interface MailRecipient {
  userId: string;
  email: string;
}

export interface MailReaction {
  template: MailTemplateName;
  recipient: MailRecipient;
  data: MailTemplateData;
}

/** A read model has not caught up with the event yet: the batch is tried again later. */
export class ReadModelLagError extends Error {
  override readonly name = 'ReadModelLagError';
}

const SERVER_ROLES: readonly OrganizationRole[] = ['owner', 'admin'];
const BILLING_ROLES = (Object.keys(ROLE_PERMISSIONS) as OrganizationRole[]).filter((role) =>
  ROLE_PERMISSIONS[role].includes('billing_view'),
);

export interface MailReactionOptions {
  /** MAIL_LOW_BALANCE_HOURS */
  lowBalanceHours: number;
}

/** Event types the reactor reads; every other event only advances its checkpoint. */
export const MAIL_EVENT_TYPES = [
  'UserRegistered',
  'MemberAdded',
  'VpsActivated',
  'VpsProvisioningFailed',
  'VpsSuspended',
  'VpsResumed',
  'WalletCharged',
] as const;

type Rows = Record<string, unknown>[];

async function rows(db: Knex, sql: string, values: unknown[]): Promise<Rows> {
  return (await db.raw(sql, values as Knex.RawBinding[])).rows as Rows;
}

async function members(db: Knex, organizationId: string, roles: readonly OrganizationRole[]) {
  const found = await rows(
    db,
    `select m.user_id, u.email from memberships m join users u on u.id = m.user_id
      where m.organization_id = ? and m.role = any(?) order by m.user_id`,
    [organizationId, [...roles]],
  );
  return found.map((r) => ({ userId: String(r.user_id), email: String(r.email) }));
}

async function serverOf(db: Knex, vpsId: string) {
  const [row] = await rows(db, 'select organization_id, label from vps_servers where id = ?', [vpsId]);
  if (!row) throw new ReadModelLagError(`vps_servers has no row ${vpsId} yet`);
  return { organizationId: String(row.organization_id), label: String(row.label) };
}

async function organizationOf(db: Knex, organizationId: string) {
  const [row] = await rows(db, 'select name, created_by from organizations where id = ?', [organizationId]);
  if (!row) throw new ReadModelLagError(`organizations has no row ${organizationId} yet`);
  return { name: String(row.name), createdBy: String(row.created_by) };
}

const each = (
  template: MailTemplateName,
  recipients: MailRecipient[],
  data: MailTemplateData,
): MailReaction[] => recipients.map((recipient) => ({ template, recipient, data }));

export async function mailReactions(
  db: Knex,
  event: RecordedEvent,
  options: MailReactionOptions,
): Promise<MailReaction[]> {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'UserRegistered':
      return each('welcome', [{ userId: data.userId, email: data.email }], {
        name: data.name,
        email: data.email,
      });
    case 'MemberAdded': {
      const organization = await organizationOf(db, data.organizationId);
      // The creator is its organization's first owner: no "you were added" for that.
      if (organization.createdBy === data.userId) return [];
      const [user] = await rows(db, 'select email from users where id = ?', [data.userId]);
      if (!user) throw new ReadModelLagError(`users has no row ${data.userId} yet`);
      return each('member_added', [{ userId: data.userId, email: String(user.email) }], {
        organizationName: organization.name,
        role: data.role,
      });
    }
    case 'VpsActivated': {
      const vps = await serverOf(db, data.vpsId);
      return each('server_active', await members(db, vps.organizationId, SERVER_ROLES), {
        vpsId: data.vpsId,
        label: vps.label,
        ipv4: data.ipv4,
      });
    }
    case 'VpsProvisioningFailed': {
      const vps = await serverOf(db, data.vpsId);
      const refunded = (event.data as { refunded: boolean }).refunded;
      return each('provisioning_failed', await members(db, vps.organizationId, SERVER_ROLES), {
        vpsId: data.vpsId,
        label: vps.label,
        refunded: String(refunded),
      });
    }
    case 'VpsSuspended': {
      const vps = await serverOf(db, data.vpsId);
      return each('server_suspended', await members(db, vps.organizationId, BILLING_ROLES), {
        vpsId: data.vpsId,
        label: vps.label,
        debt: data.debt,
      });
    }
    case 'VpsResumed': {
      const vps = await serverOf(db, data.vpsId);
      return each('server_resumed', await members(db, vps.organizationId, SERVER_ROLES), {
        vpsId: data.vpsId,
        label: vps.label,
      });
    }
    case 'WalletCharged': {
      // Only the charge that takes the balance below N hours of the organization's burn (active servers).
      const after = money(data.balanceAfter);
      const before = after + money(data.amount);
      const [burnRow] = await rows(
        db,
        `select coalesce(sum(hourly_price), 0)::text as burn from vps_servers
          where organization_id = ? and status = 'active'`,
        [data.organizationId],
      );
      const burn = BigInt(String(burnRow.burn));
      const threshold = burn * BigInt(options.lowBalanceHours);
      if (burn === 0n || !(before >= threshold && after < threshold)) return [];
      const organization = await organizationOf(db, data.organizationId);
      return each('low_balance', await members(db, data.organizationId, BILLING_ROLES), {
        organizationName: organization.name,
        balance: data.balanceAfter,
        hours: String(options.lowBalanceHours),
        hourlyBurn: formatMoney(burn),
      });
    }
    default:
      return [];
  }
}
