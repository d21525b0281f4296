import { createTransport } from 'nodemailer';
import { mailpitClient, startMailpit, type Mailpit } from '@stratus/infra/testing';

// The test stand-in for the SMTP relay: what nodemailer hands it over SMTP is read back through its HTTP API.
describe('Mailpit (startMailpit, mailpitClient)', () => {
  let mailpit: Mailpit;
  beforeAll(async () => {
    mailpit = await startMailpit({ allowedRecipients: '@example\\.test$' });
  }, 120_000);
  afterAll(() => mailpit?.stop());

  it('keeps a message sent over SMTP, readable through its API', async () => {
    const transport = createTransport(mailpit.smtpUrl);
    await transport.sendMail({
      from: 'Stratus <no-reply@stratus.test>',
      to: 'ada@example.test',
      subject: 'Hello',
      text: 'plain body',
      html: '<p>html body</p>',
      messageId: '<fixed-1@stratus.test>',
    });
    const client = mailpitClient(mailpit.uiUrl);
    const [summary, ...others] = await client.messagesTo('ada@example.test');
    expect(others).toHaveLength(0);
    expect(summary.MessageID).toBe('fixed-1@stratus.test');
    const message = await client.message(summary.ID);
    expect(message.Subject).toBe('Hello');
    expect(message.Text.trim()).toBe('plain body');
    expect(message.HTML).toContain('<p>html body</p>');
    transport.close();
  });

  it('refuses a recipient outside allowedRecipients with a permanent 5xx', async () => {
    const transport = createTransport(mailpit.smtpUrl);
    await expect(
      transport.sendMail({
        from: 'no-reply@stratus.test',
        to: 'bob@elsewhere.test',
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: expect.any(Number) });
    const refused = await transport
      .sendMail({ from: 'no-reply@stratus.test', to: 'bob@elsewhere.test', subject: 'x', text: 'x' })
      .catch((error: { responseCode?: number }) => error.responseCode);
    expect(refused).toBeGreaterThanOrEqual(500);
    transport.close();
  });
});
