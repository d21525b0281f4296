/**
 * The mails a user may turn off, and what each one is about (README "Mail"). The workers' templates are exactly
 * these and REQUIRED_MAILS (a unit test checks it).
 */
export const OPTIONAL_MAILS = {
  low_balance: 'The wallet balance falls below a few hours of its servers',
  grace_period_started: 'A server could not be paid and will be suspended unless the wallet is topped up',
  server_suspended: 'A server was suspended for lack of funds',
  server_resumed: 'A suspended server runs again',
  server_active: 'A new server is ready (its address)',
  member_added: 'You were added to an organization',
} as const;

export type OptionalMail = keyof typeof OPTIONAL_MAILS;

/**
 * The mails always sent: the account's security (links, sign-ins, password, second factor) and money already moved
 * on the user's behalf (a failed provisioning's refund). Nobody can turn them off.
 */
export const REQUIRED_MAILS = {
  welcome: 'Your account was created',
  verify_email: 'The link that confirms your email address',
  password_reset: 'The link to choose a new password, when you ask for one',
  new_sign_in: 'Someone signed in from a new device or address',
  password_changed: 'Your password was changed or reset',
  two_factor_enabled: 'Two-factor authentication was turned on',
  two_factor_disabled: 'Two-factor authentication was turned off',
  staff_access: 'A staff member opened a session as you, when and why',
  provisioning_failed: 'A server could not be created (and its first hour was refunded)',
  invitation: 'Someone invited your address to their organization (the link to accept or decline)',
} as const;

export type RequiredMail = keyof typeof REQUIRED_MAILS;

export function isOptionalMail(name: unknown): name is OptionalMail {
  return typeof name === 'string' && Object.hasOwn(OPTIONAL_MAILS, name);
}

/** The optional mails in their one order (the order of OPTIONAL_MAILS). */
export function sortOptionalMails(mails: Iterable<OptionalMail>): OptionalMail[] {
  const chosen = new Set(mails);
  return (Object.keys(OPTIONAL_MAILS) as OptionalMail[]).filter((mail) => chosen.has(mail));
}
