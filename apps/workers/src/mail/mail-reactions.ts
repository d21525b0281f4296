/**
 * Which mails an event calls for, and to whom. Recipients are read from the read models in the reactor's
 * transaction: a user event goes to the user; a server's activation, resumption and failed provisioning to the
 * organization's owners and admins; money (low balance, grace period, suspension for lack of funds) to every
 * member whose role, predefined or custom, can see billing (billing_view); an invitation to the invited address. An optional mail (OPTIONAL_MAILS) is left out for a recipient
 * who turned it off (users.mail_opt_outs); the others are always sent.
 */
import type { Knex } from '@mikro-orm/postgresql';
import {
  formatMoney,
  invitationSealedFor,
  isOptionalMail,
  money,
  ROLE_PERMISSIONS,
  type InvitationCreated,
  type OrganizationRole,
  type Permission,
  type VpsEvent,
} from '@stratus/domain';
import type { EventStore, RecordedEvent } from '@stratus/eventstore';
import type { MailTemplateData, MailTemplateName } from './mail-templates';

export interface MailRecipient {
  /** The user; for an invitation (whose address may have no account) `invitation:<invitationId>`. */
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

export interface MailReactionOptions {
  /** MAIL_LOW_BALANCE_HOURS */
  lowBalanceHours: number;
  /** SUSPEND_GRACE_SECONDS: when the grace-period mail says the server will be suspended. */
  suspendGraceSeconds: number;
}

/** What a reaction may read: the read models (in the reactor's transaction) and a server's own stream. */
export interface MailReactionSources {
  db: Knex;
  eventStore: Pick<EventStore, 'readStream'>;
}

/** Event types the reactor reads; every other event only advances its checkpoint. */
export const MAIL_EVENT_TYPES = [
  'UserRegistered',
  'EmailVerificationRequested',
  'PasswordResetRequested',
  'SignedIn',
  'PasswordChanged',
  'TwoFactorEnabled',
  'TwoFactorDisabled',
  'ImpersonationStarted',
  'MemberAdded',
  'InvitationCreated',
  'VpsPeriodChargeFailed',
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

/** Members holding `permission`, through a predefined role or one of the organization's custom roles. */
async function membersWith(db: Knex, organizationId: string, permission: Permission) {
  const predefined = (Object.keys(ROLE_PERMISSIONS) as OrganizationRole[]).filter((role) =>
    ROLE_PERMISSIONS[role].includes(permission),
  );
  const found = await rows(
    db,
    `select m.user_id, u.email from memberships m join users u on u.id = m.user_id
       left join organization_roles r on r.organization_id = m.organization_id and r.role_id = m.role
      where m.organization_id = ? and (m.role = any(?) or r.permissions @> jsonb_build_array(?::text))
      order by m.user_id`,
    [organizationId, predefined, permission],
  );
  return found.map((r) => ({ userId: String(r.user_id), email: String(r.email) }));
}

async function userOf(db: Knex, userId: string): Promise<MailRecipient> {
  const [row] = await rows(db, 'select email from users where id = ?', [userId]);
  if (!row) throw new ReadModelLagError(`users has no row ${userId} yet`);
  return { userId, email: String(row.email) };
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

/**
 * Whether this failed charge starts a grace period: the server was active with every earlier period paid. A
 * second unpaid period inside the same grace, or one of a suspended server, starts none. Read from the server's
 * own stream, up to the event (a read model may already be past it).
 */
async function startsGracePeriod(eventStore: MailReactionSources['eventStore'], event: RecordedEvent) {
  const history =
    event.revision === 0n
      ? []
      : ((await eventStore.readStream(event.streamId, {
          maxCount: Number(event.revision),
        })) as unknown as VpsEvent[]);
  const unpaid = new Set<string>();
  let suspended = false;
  for (const past of history) {
    if (past.type === 'VpsPeriodChargeFailed') unpaid.add(past.data.chargeId);
    else if (past.type === 'VpsPeriodBilled') unpaid.delete(past.data.chargeId);
    else if (past.type === 'VpsSuspended') suspended = true;
    else if (past.type === 'VpsResumed') {
      suspended = false;
      unpaid.clear();
    }
  }
  return !suspended && unpaid.size === 0;
}

/** The reactions minus the optional mails their recipients turned off. */
async function honourPreferences(db: Knex, reactions: MailReaction[]): Promise<MailReaction[]> {
  const optional = reactions.filter((r) => isOptionalMail(r.template));
  if (optional.length === 0) return reactions;
  const found = await rows(db, 'select id, mail_opt_outs from users where id = any(?)', [
    [...new Set(optional.map((r) => r.recipient.userId))],
  ]);
  const optOuts = new Map(found.map((r) => [String(r.id), new Set(r.mail_opt_outs as string[])]));
  return reactions.filter((r) => !optOuts.get(r.recipient.userId)?.has(r.template));
}

export async function mailReactions(
  sources: MailReactionSources,
  event: RecordedEvent,
  options: MailReactionOptions,
): Promise<MailReaction[]> {
  return honourPreferences(sources.db, await reactionsTo(sources, event, options));
}

/** `at`: when it happened, as recorded (templates take no clock). */
async function reactionsTo(
  { db, eventStore }: MailReactionSources,
  event: RecordedEvent,
  options: MailReactionOptions,
): Promise<MailReaction[]> {
  const data = event.data as Record<string, string>;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'UserRegistered':
      return each('welcome', [{ userId: data.userId, email: data.email }], {
        name: data.name,
        email: data.email,
      });
    // The raw token stays sealed in the outbox row; the sender opens it only to render the link.
    case 'EmailVerificationRequested':
    case 'PasswordResetRequested':
      return each(
        event.type === 'EmailVerificationRequested' ? 'verify_email' : 'password_reset',
        [{ userId: data.userId, email: data.email }],
        {
          email: data.email,
          expiresAt: data.expiresAt,
          sealedToken: data.sealedToken,
          sealedFor: `${event.type}:${data.userId}`,
        },
      );
    case 'SignedIn': {
      if ((event.data as { newDevice: boolean }).newDevice !== true) return [];
      return each('new_sign_in', [await userOf(db, data.userId)], {
        ip: data.ip,
        userAgent: data.userAgent,
        at,
      });
    }
    case 'PasswordChanged':
      // Never the hash: only how it changed.
      return each('password_changed', [await userOf(db, data.userId)], { via: data.via, at });
    case 'TwoFactorEnabled':
      return each('two_factor_enabled', [await userOf(db, data.userId)], { at });
    case 'TwoFactorDisabled':
      return each('two_factor_disabled', [await userOf(db, data.userId)], { at });
    case 'ImpersonationStarted':
      return each('staff_access', [await userOf(db, data.userId)], {
        reason: data.reason,
        startedAt: data.startedAt,
        expiresAt: data.expiresAt,
      });
    case 'VpsPeriodChargeFailed': {
      if (!(await startsGracePeriod(eventStore, event))) return [];
      const vps = await serverOf(db, data.vpsId);
      return each('grace_period_started', await membersWith(db, vps.organizationId, 'billing_view'), {
        vpsId: data.vpsId,
        label: vps.label,
        amount: data.amount,
        periodStart: data.periodStart,
        suspendAt: new Date(Date.parse(at) + options.suspendGraceSeconds * 1000).toISOString(),
      });
    }
    case 'MemberAdded': {
      const organization = await organizationOf(db, data.organizationId);
      // The creator is its organization's first owner: no "you were added" for that.
      if (organization.createdBy === data.userId) return [];
      return each('member_added', [await userOf(db, data.userId)], {
        organizationName: organization.name,
        role: data.role,
      });
    }
    case 'InvitationCreated': {
      const invitation = (event as unknown as InvitationCreated).data;
      const organization = await organizationOf(db, invitation.organizationId);
      const [inviter] = await rows(db, 'select name from users where id = ?', [invitation.invitedBy]);
      if (!inviter) throw new ReadModelLagError(`users has no row ${invitation.invitedBy} yet`);
      const recipient = { userId: `invitation:${invitation.invitationId}`, email: invitation.email };
      // The raw token stays sealed in the outbox row, as for the account's links.
      return each('invitation', [recipient], {
        organizationName: organization.name,
        inviterName: String(inviter.name),
        email: invitation.email,
        roleName: invitation.roleName.replace(/_/g, ' '),
        expiresAt: invitation.expiresAt,
        sealedToken: invitation.sealedToken,
        sealedFor: invitationSealedFor(invitation.invitationId),
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
      return each('server_suspended', await membersWith(db, vps.organizationId, 'billing_view'), {
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
      return each('low_balance', await membersWith(db, data.organizationId, 'billing_view'), {
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
