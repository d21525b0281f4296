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
  vpsId: 'v1',
  label: 'web-1',
  ipv4: '203.0.113.7',
  refunded: 'true',
  debt: '1.500000',
  balance: '0.120000',
  hours: '24',
  hourlyBurn: '0.010000',
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

  it('escapes data in the HTML and keeps it as written in the text', () => {
    const mail = renderMail('member_added', SAMPLE, BRAND);
    expect(mail.html).toContain('Acme &amp; &lt;Sons&gt;');
    expect(mail.html).not.toContain('<Sons>');
    expect(mail.text).toContain('Acme & <Sons>');
  });

  it('says whether a mail can be turned off', () => {
    expect(renderMail('low_balance', SAMPLE, BRAND).text).toContain('turn these mails off');
    expect(renderMail('server_suspended', SAMPLE, BRAND).text).not.toContain('turn these mails off');
  });

  it('the server-active mail carries the IP and the provisioning-failed mail the refund', () => {
    expect(renderMail('server_active', SAMPLE, BRAND).text).toContain('203.0.113.7');
    expect(renderMail('provisioning_failed', SAMPLE, BRAND).text).toContain('refunded');
    expect(renderMail('provisioning_failed', { ...SAMPLE, refunded: 'false' }, BRAND).text).toContain(
      'Nothing was charged',
    );
  });
});
