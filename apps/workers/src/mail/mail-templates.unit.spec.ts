import { OPTIONAL_MAILS, REQUIRED_MAILS } from '@stratus/domain';
import { MAIL_TEMPLATES, renderMail, type MailBrand, type MailTemplateName } from './mail-templates';

const BRAND: MailBrand = {
  productName: 'Nimbus Cloud',
  accentColor: '#ff6600',
  portalUrl: 'https://portal.example',
};
const SAMPLE: Record<string, string> = {
  name: 'Ada',
  email: 'ada@example.test',
  organizationName: 'Acme & <Sons>',
  role: 'admin',
  roleName: 'Billing clerk',
  inviterName: 'Grace',
  vpsId: 'v1',
  label: 'web-1',
  ipv4: '203.0.113.7',
  refunded: 'true',
  debt: '1.500000',
  balance: '0.120000',
  hours: '24',
  hourlyBurn: '0.010000',
  token: 'tok/en+1',
  expiresAt: '2026-12-07T17:30:00.000Z',
  at: '2026-12-06T17:30:12.345Z',
  ip: '198.51.100.23',
  userAgent: 'Firefox/140',
  via: 'change',
  amount: '0.010000',
  periodStart: '2026-12-06T17:00:00.000Z',
  suspendAt: '2026-12-07T17:30:12.345Z',
  startedAt: '2026-12-06T16:30:00.000Z',
  reason: 'Ticket 4821: cannot create a server',
};

describe('mail templates', () => {
  it.each(Object.keys(MAIL_TEMPLATES) as MailTemplateName[])(
    '%s renders a subject, text and HTML in the branded layout',
    (name) => {
      const mail = renderMail(name, SAMPLE, BRAND);
      expect(mail.subject.length).toBeGreaterThan(5);
      for (const body of [mail.subject, mail.text, mail.html]) expect(body).not.toMatch(/undefined|null|NaN/);
      expect(mail.text).toContain('Nimbus Cloud');
      expect(mail.html).toContain('Nimbus Cloud');
      expect(mail.html).toContain('background:#ff6600');
      // Links are absolute, into the portal.
      for (const [, href] of mail.html.matchAll(/href="([^"]+)"/g))
        expect(href.startsWith('https://portal.example/')).toBe(true);
    },
  );

  it('tells the user when staff accessed the account, why, and until when', () => {
    const { subject, text } = renderMail('staff_access', SAMPLE, BRAND);
    expect(subject).toBe('A staff member accessed your Nimbus Cloud account');
    expect(text).toContain('On 2026-12-06 16:30 UTC');
    expect(text).toContain('because: Ticket 4821: cannot create a server');
    expect(text).toContain('at the latest at 2026-12-07 17:30 UTC');
  });

  it('escapes data in the HTML and keeps it as written in the text', () => {
    const mail = renderMail('member_added', SAMPLE, BRAND);
    expect(mail.html).toContain('Acme &amp; &lt;Sons&gt;');
    expect(mail.html).not.toContain('<Sons>');
    expect(mail.text).toContain('Acme & <Sons>');
  });

  it('says whether a mail can be turned off, and where', () => {
    for (const name of Object.keys(MAIL_TEMPLATES) as MailTemplateName[]) {
      const { text } = renderMail(name, SAMPLE, BRAND);
      if (Object.hasOwn(OPTIONAL_MAILS, name))
        expect(text).toContain(
          'turn these mails off in your account settings: https://portal.example/account/notifications',
        );
      else expect(text).not.toContain('turn these mails off');
    }
    expect(renderMail('password_reset', SAMPLE, BRAND).text).not.toContain('turn these mails off');
  });

  it('has a template for every optional and every required mail, and no other', () => {
    expect(Object.keys(MAIL_TEMPLATES).sort()).toEqual(
      [...Object.keys(OPTIONAL_MAILS), ...Object.keys(REQUIRED_MAILS)].sort(),
    );
  });

  it('links the verification and reset mails to the portal with the token, encoded', () => {
    const verify = renderMail('verify_email', SAMPLE, BRAND);
    expect(verify.text).toContain('https://portal.example/verify-email?token=tok%2Fen%2B1');
    expect(verify.html).toContain('href="https://portal.example/verify-email?token=tok%2Fen%2B1"');
    expect(verify.text).toContain('2026-12-07 17:30 UTC');
    const reset = renderMail('password_reset', SAMPLE, BRAND);
    expect(reset.text).toContain('https://portal.example/reset-password?token=tok%2Fen%2B1');
    expect(reset.html).toContain('href="https://portal.example/reset-password?token=tok%2Fen%2B1"');
  });

  it('the invitation names who invited whom, where and as what, and links to the portal with the token', () => {
    const invitation = renderMail('invitation', SAMPLE, BRAND);
    expect(invitation.subject).toBe('Grace invited you to Acme & <Sons> on Nimbus Cloud');
    expect(invitation.text).toContain('invited ada@example.test to the organization Acme & <Sons>');
    expect(invitation.text).toContain('with the role Billing clerk');
    expect(invitation.text).toContain('until 2026-12-07 17:30 UTC');
    expect(invitation.text).toContain('https://portal.example/invitations/tok%2Fen%2B1');
    expect(invitation.html).toContain('href="https://portal.example/invitations/tok%2Fen%2B1"');
    expect(invitation.html).toContain('Acme &amp; &lt;Sons&gt;');
  });

  it('the new sign-in mail names the address, the browser and the time', () => {
    const { text } = renderMail('new_sign_in', SAMPLE, BRAND);
    expect(text).toContain('198.51.100.23');
    expect(text).toContain('Firefox/140');
    expect(text).toContain('2026-12-06 17:30 UTC');
  });

  it('the password-changed mail tells a change from a reset', () => {
    expect(renderMail('password_changed', SAMPLE, BRAND).text).toContain('other sessions were signed out');
    expect(renderMail('password_changed', { ...SAMPLE, via: 'reset' }, BRAND).text).toContain(
      'every session was signed out',
    );
  });

  it('the grace-period mail says what was unpaid and when the server is suspended', () => {
    const { subject, text } = renderMail('grace_period_started', SAMPLE, BRAND);
    expect(subject).toContain('"web-1"');
    expect(text).toContain('0.010000 USD');
    expect(text).toContain('suspended at 2026-12-07 17:30 UTC');
  });

  it('the server-active mail carries the IP and the provisioning-failed mail the refund', () => {
    expect(renderMail('server_active', SAMPLE, BRAND).text).toContain('203.0.113.7');
    expect(renderMail('provisioning_failed', SAMPLE, BRAND).text).toContain('refunded');
    expect(renderMail('provisioning_failed', { ...SAMPLE, refunded: 'false' }, BRAND).text).toContain(
      'Nothing was charged',
    );
  });
});
