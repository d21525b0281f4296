/**
 * Every mail family end to end, read back from a real SMTP server (Mailpit's HTTP API): account (welcome,
 * verification and reset links, new sign-in, password changed, two-factor on/off, staff access, member added), money (low
 * balance, grace period, suspension, resumption) and server (active with its IP, provisioning failed with the
 * refund). Each message has its subject, recipient, links or address, a text and an HTML part, and never a
 * password, hash or secret. A user's opt-outs leave out optional mails only.
 */
import { randomBytes } from 'node:crypto';
import type { MailpitMessage } from '@stratus/infra/testing';
import { mailEvent as event, MailTestBed } from './testing/mail-test-bed';

jest.setTimeout(180_000);

const RAW_VERIFY = randomBytes(32).toString('base64url');
const RAW_RESET = randomBytes(32).toString('base64url');
const RAW_INVITATION = `o1.${randomBytes(32).toString('base64url')}`;
const PASSWORD_HASH = '$argon2id$v=19$m=65536$PASSWORD-HASH-SECRET';
const ROOT_PASSWORD_CIPHERTEXT = 'v1.iv.tag.ROOT-PASSWORD-CIPHERTEXT';
const TOTP_SECRET_CIPHERTEXT = 'v1.iv.tag.TOTP-SECRET-CIPHERTEXT';
const SECRETS = [
  RAW_RESET,
  RAW_INVITATION,
  PASSWORD_HASH,
  ROOT_PASSWORD_CIPHERTEXT,
  TOTP_SECRET_CIPHERTEXT,
  'sealedToken',
];
const IN_A_DAY = new Date(Date.now() + 86_400_000).toISOString();
const FIRST_FAILURE_AT = '2026-12-06T10:00:00.000Z';
const SECOND_FAILURE_AT = '2026-12-06T12:30:00.000Z';

describe('mail families through Mailpit', () => {
  const bed = new MailTestBed();
  const messages = new Map<string, MailpitMessage[]>();
  /** Every message to one address, in full. */
  const mailTo = (address: string) => messages.get(address) ?? [];
  const subjectsTo = (address: string) => mailTo(address).map((m) => m.Subject);
  const only = (address: string, subject: string) => {
    const found = mailTo(address).filter((m) => m.Subject === subject);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const expectWellFormed = (message: MailpitMessage, to: string) => {
    expect(message.To.map((t) => t.Address)).toEqual([to]);
    expect(message.From.Address).toBe('no-reply@stratus.test');
    expect(message.Text.length).toBeGreaterThan(20);
    expect(message.HTML).toContain('<html>');
    for (const secret of SECRETS) expect(message.Text + message.HTML).not.toContain(secret);
  };

  const vpsRequested = (vpsId: string, label: string) =>
    event('VpsRequested', {
      vpsId,
      organizationId: 'o1',
      label,
      planId: 'p1',
      providerPlanId: 'g6-nanode-1',
      region: 'eu-west',
      image: 'linode/debian12',
      backups: false,
      sshKeyIds: [],
      encryptedRootPassword: ROOT_PASSWORD_CIPHERTEXT,
      hourlyPrice: '0.010000',
      monthlyPrice: '5.000000',
      idempotencyKey: `k-${vpsId}`,
      workflowId: `w-${vpsId}`,
    });
  const period = (hour: number) => {
    const start = new Date(Date.parse(FIRST_FAILURE_AT) + hour * 3_600_000).toISOString();
    return {
      vpsId: 'v1',
      chargeId: `vps-v1:${start}`,
      amount: '0.010000',
      periodStart: start,
      periodEnd: new Date(Date.parse(start) + 3_600_000).toISOString(),
    };
  };

  beforeAll(async () => {
    await bed.start('stratus_mail_families');
    await bed.register('u-ada', 'ada@example.test');
    await bed.register('u-bob', 'bob@example.test');
    await bed.register('u-cara', 'cara@example.test');
    await bed.register('u-dan', 'dan@example.test');
    // Bob turns two optional mails off before anything happens.
    await bed.append(
      'user-u-bob',
      event('MailPreferencesChanged', { userId: 'u-bob', optedOut: ['low_balance', 'server_active'] }),
    );
    await bed.append(
      'user-u-ada',
      event('EmailVerificationRequested', {
        userId: 'u-ada',
        email: 'ada@example.test',
        tokenHash: 'a'.repeat(64),
        expiresAt: IN_A_DAY,
        sealedToken: bed.secretBox.encrypt(RAW_VERIFY, 'EmailVerificationRequested:u-ada'),
      }),
      event('PasswordResetRequested', {
        userId: 'u-ada',
        email: 'ada@example.test',
        tokenHash: 'b'.repeat(64),
        expiresAt: IN_A_DAY,
        sealedToken: bed.secretBox.encrypt(RAW_RESET, 'PasswordResetRequested:u-ada'),
      }),
      event('SignedIn', {
        userId: 'u-ada',
        sessionId: 's1',
        ip: '203.0.113.1',
        userAgent: 'Firefox',
        newDevice: false,
      }),
      event('SignedIn', {
        userId: 'u-ada',
        sessionId: 's2',
        ip: '198.51.100.23',
        userAgent: 'Chromium/140',
        newDevice: true,
      }),
      event('PasswordChanged', { userId: 'u-ada', passwordHash: PASSWORD_HASH, via: 'change' }),
      event('TwoFactorEnabled', {
        userId: 'u-ada',
        sealedSecret: TOTP_SECRET_CIPHERTEXT,
        recoveryCodeHashes: ['c'.repeat(64)],
      }),
      event('TwoFactorDisabled', { userId: 'u-ada' }),
      event('ImpersonationStarted', {
        userId: 'u-ada',
        sessionId: 's3',
        impersonatorId: 'staff-1',
        reason: 'Ticket 4821: cannot create a server',
        startedAt: '2026-12-06T16:30:00.000Z',
        expiresAt: '2026-12-06T17:30:00.000Z',
      }),
    );
    // Cara's reset link was sealed for someone else: it cannot be opened, so it is never sent.
    await bed.append(
      'user-u-cara',
      event('PasswordResetRequested', {
        userId: 'u-cara',
        email: 'cara@example.test',
        tokenHash: 'd'.repeat(64),
        expiresAt: IN_A_DAY,
        sealedToken: bed.secretBox.encrypt(RAW_RESET, 'PasswordResetRequested:u-ada'),
      }),
    );
    await bed.append(
      'organization-o1',
      event('OrganizationCreated', { organizationId: 'o1', name: 'Acme', createdBy: 'u-ada' }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-ada', role: 'owner' }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-bob', role: 'admin' }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-cara', role: 'viewer' }),
      // Dan sees billing through a custom role.
      event('CustomRoleCreated', {
        organizationId: 'o1',
        roleId: 'r-accounts',
        name: 'Accounts',
        permissions: ['billing_view'],
      }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-dan', role: 'r-accounts' }),
      // Eve has no account: the invitation goes to her address.
      event('InvitationCreated', {
        organizationId: 'o1',
        invitationId: 'i1',
        email: 'eve@example.test',
        role: 'vps_manager',
        roleName: 'vps_manager',
        invitedBy: 'u-ada',
        tokenHash: 'e'.repeat(64),
        sealedToken: bed.secretBox.encrypt(RAW_INVITATION, 'InvitationCreated:i1'),
        expiresAt: IN_A_DAY,
      }),
    );
    await bed.append(
      'vps-v2',
      vpsRequested('v2', 'db-1'),
      event('VpsProvisioningFailed', {
        vpsId: 'v2',
        stage: 'creating_instance',
        reason: 'provider refused',
        instanceDeleted: true,
        refunded: true,
      }),
    );
    await bed.append(
      'vps-v1',
      vpsRequested('v1', 'web-1'),
      event('VpsActivated', {
        vpsId: 'v1',
        providerInstanceId: 'i1',
        ipv4: '203.0.113.7',
        billingWorkflowId: 'b1',
        billedUntil: FIRST_FAILURE_AT,
      }),
      event('VpsPeriodBilled', period(-1)),
      // A grace period starts at the first unpaid hour; the second unpaid hour inside it starts none.
      event('VpsPeriodChargeFailed', period(0), FIRST_FAILURE_AT),
      event('VpsPeriodChargeFailed', period(1)),
      event('VpsSuspended', { vpsId: 'v1', reason: 'insufficient_funds', debt: '0.020000' }),
      event('VpsPeriodBilled', period(0)),
      event('VpsPeriodBilled', period(1)),
      event('VpsResumed', { vpsId: 'v1' }),
      // Paid up and running again: the next unpaid hour starts a new grace period.
      event('VpsPeriodChargeFailed', period(2), SECOND_FAILURE_AT),
    );
    await bed.append(
      'wallet-o1',
      event('WalletOpened', { walletId: 'o1', organizationId: 'o1', currency: 'USD' }),
      event('WalletCredited', {
        walletId: 'o1',
        organizationId: 'o1',
        amount: '10.000000',
        balanceAfter: '10.000000',
        source: 'staff_credit',
        reason: 'test',
      }),
      // Above 24 hours of the active server (0.24): no mail; then below it: one.
      event('WalletCharged', {
        walletId: 'o1',
        organizationId: 'o1',
        chargeId: 'c1',
        amount: '5.000000',
        balanceAfter: '5.000000',
        description: 'test',
      }),
      event('WalletCharged', {
        walletId: 'o1',
        organizationId: 'o1',
        chargeId: 'c2',
        amount: '4.900000',
        balanceAfter: '0.100000',
        description: 'test',
      }),
    );
    await bed.project();
    const written = await bed.reactor().catchUp();
    const outcomes = await bed.sender().sendDue();
    expect(outcomes.filter((o) => o !== 'sent')).toEqual(['failed']);
    expect(outcomes).toHaveLength(written);
    for (const summary of await bed.client.messages()) {
      const message = await bed.client.message(summary.ID);
      for (const to of message.To) messages.set(to.Address, [...mailTo(to.Address), message]);
    }
  });

  afterAll(() => bed.stop());

  it('account: welcome, verification and reset links, new sign-in, password changed, two-factor on and off, staff access', async () => {
    const ada = 'ada@example.test';
    const verify = only(ada, 'Confirm your email address for Stratus');
    expectWellFormed(verify, ada);
    const verifyLink = `http://portal.test/verify-email?token=${RAW_VERIFY}`;
    expect(verify.Text).toContain(verifyLink);
    expect(verify.HTML).toContain(`href="${verifyLink}"`);

    const reset = only(ada, 'Reset your Stratus password');
    // The reset token is in its own mail only (SECRETS holds it for every other check).
    const resetLink = `http://portal.test/reset-password?token=${RAW_RESET}`;
    expect(reset.Text).toContain(resetLink);
    expect(reset.HTML).toContain(`href="${resetLink}"`);

    const signIn = only(ada, 'New sign-in to your Stratus account');
    expectWellFormed(signIn, ada);
    expect(signIn.Text).toContain('198.51.100.23');
    expect(signIn.HTML).toContain('198.51.100.23');
    expect(signIn.Text).toContain('Chromium/140');

    for (const subject of [
      'Welcome to Stratus',
      'Your Stratus password was changed',
      'Two-factor authentication is on',
      'Two-factor authentication was turned off',
    ])
      expectWellFormed(only(ada, subject), ada);
    const staffAccess = only(ada, 'A staff member accessed your Stratus account');
    expectWellFormed(staffAccess, ada);
    expect(staffAccess.Text).toContain(
      'On 2026-12-06 16:30 UTC, a member of the Stratus staff opened a session as you, because: Ticket 4821: cannot create a server',
    );
    expect(staffAccess.Text).toContain('at the latest at 2026-12-06 17:30 UTC');

    // One sign-in mail: the sign-in from a known device sent none. Only the account's owner gets these.
    expect(subjectsTo(ada).filter((s) => s.includes('sign-in'))).toHaveLength(1);
    expect(subjectsTo('bob@example.test')).not.toContain('Reset your Stratus password');

    const added = only('cara@example.test', 'You were added to Acme');
    expectWellFormed(added, 'cara@example.test');
    expect(added.Text).toContain('viewer');

    // The outbox rows hold the tokens sealed, never in clear.
    const rows = (
      await bed.knex.raw(
        `select data::text as data from mail_outbox where template in ('verify_email', 'password_reset')`,
      )
    ).rows as { data: string }[];
    expect(rows).toHaveLength(3);
    for (const { data } of rows) {
      expect(data).toContain('sealedToken');
      expect(data).not.toContain(RAW_VERIFY);
      expect(data).not.toContain(RAW_RESET);
    }
  });

  it('account: a link token that cannot be opened is recorded as failed, never sent', async () => {
    expect(mailTo('cara@example.test').map((m) => m.Subject)).not.toContain('Reset your Stratus password');
    const [row] = (
      await bed.knex.raw(
        `select status, last_error from mail_outbox where to_address = 'cara@example.test' and template = 'password_reset'`,
      )
    ).rows;
    expect(row).toMatchObject({ status: 'failed', last_error: expect.stringContaining('cannot be opened') });
  });

  it('money: low balance, grace period started, suspended and resumed go to the members who see billing', () => {
    const ada = 'ada@example.test';
    const low = only(ada, 'Your wallet balance is low (0.100000 USD)');
    expectWellFormed(low, ada);
    expect(low.Text).toContain('less than 24 hours');
    expect(low.HTML).toContain('href="http://portal.test/billing"');

    // One grace period per run of unpaid hours: the second unpaid hour inside it sent none, the one after the
    // resumption starts another. Each says when: SUSPEND_GRACE_SECONDS (3600) after its first failed charge.
    const graces = mailTo(ada).filter((m) => m.Subject.includes('will be suspended unless'));
    expect(graces.map((m) => /suspended at ([\d-]+ [\d:]+ UTC)/.exec(m.Text)?.[1]).sort()).toEqual([
      '2026-12-06 11:00 UTC',
      '2026-12-06 13:30 UTC',
    ]);
    for (const grace of graces) {
      expectWellFormed(grace, ada);
      expect(grace.Subject).toBe('Your server "web-1" will be suspended unless the wallet is topped up');
      expect(grace.Text).toContain('0.010000 USD');
    }

    const suspended = only(ada, 'Your server "web-1" was suspended');
    expectWellFormed(suspended, ada);
    expect(suspended.Text).toContain('0.020000 USD is owed');
    expectWellFormed(only(ada, 'Your server "web-1" is running again'), ada);

    // A custom role with billing_view gets them too.
    expect(subjectsTo('dan@example.test')).toEqual(
      expect.arrayContaining([
        'Your wallet balance is low (0.100000 USD)',
        'Your server "web-1" was suspended',
      ]),
    );
    // A viewer cannot see billing: no money mail.
    // (In any order: the sender does not promise one between events of different streams.)
    expect(subjectsTo('cara@example.test').sort()).toEqual(['Welcome to Stratus', 'You were added to Acme']);
  });

  it('invitation: to an address without an account, with the link to accept, the token sealed in the outbox', async () => {
    const eve = 'eve@example.test';
    const invitation = only(eve, 'u-ada invited you to Acme on Stratus');
    expect(invitation.To.map((t) => t.Address)).toEqual([eve]);
    expect(invitation.Text).toContain('with the role vps manager');
    const link = `http://portal.test/invitations/${RAW_INVITATION}`;
    expect(invitation.Text).toContain(link);
    expect(invitation.HTML).toContain(`href="${link}"`);
    const [row] = (
      await bed.knex.raw(`select data::text as data from mail_outbox where template = 'invitation'`)
    ).rows as { data: string }[];
    expect(row.data).toContain('sealedToken');
    expect(row.data).not.toContain(RAW_INVITATION);
  });

  it('server: active with its IP and never its password, provisioning failed with the refund', () => {
    const ada = 'ada@example.test';
    const active = only(ada, 'Your server "web-1" is ready');
    expectWellFormed(active, ada);
    expect(active.Text).toContain('203.0.113.7');
    expect(active.HTML).toContain('203.0.113.7');
    expect(active.HTML).toContain('href="http://portal.test/vps/v1"');

    const failed = only(ada, 'Your server "db-1" could not be created');
    expectWellFormed(failed, ada);
    expect(failed.Text).toContain('refunded to your wallet');
  });

  it('preferences: an opted-out optional mail is not sent, required and other optional mails still are', () => {
    const bob = 'bob@example.test';
    expect(subjectsTo(bob).sort()).toEqual(
      [
        'Welcome to Stratus',
        'You were added to Acme',
        'Your server "db-1" could not be created',
        'Your server "web-1" will be suspended unless the wallet is topped up',
        'Your server "web-1" will be suspended unless the wallet is topped up',
        'Your server "web-1" was suspended',
        'Your server "web-1" is running again',
      ].sort(),
    );
    const optional = only(bob, 'Your server "web-1" was suspended');
    expect(optional.Text).toContain(
      'You can turn these mails off in your account settings: http://portal.test/account/notifications',
    );
    expect(only(bob, 'Your server "db-1" could not be created').Text).not.toContain('turn these mails off');
  });
});
