/**
 * The mails a user may turn off, and what each one is about. Every other mail (verification, password reset and
 * change, two-factor on/off, sign-in from a new device, welcome, provisioning failed with its refund) is about the
 * account's security or money already moved, and is always sent.
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

export function isOptionalMail(name: unknown): name is OptionalMail {
  return typeof name === 'string' && Object.hasOwn(OPTIONAL_MAILS, name);
}

/** The optional mails in their one order (the order of OPTIONAL_MAILS). */
export function sortOptionalMails(mails: Iterable<OptionalMail>): OptionalMail[] {
  const chosen = new Set(mails);
  return (Object.keys(OPTIONAL_MAILS) as OptionalMail[]).filter((mail) => chosen.has(mail));
}
