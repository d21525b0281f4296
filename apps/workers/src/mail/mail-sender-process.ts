/**
 * The mail sender alone, as its own process (`node apps/workers/dist/mail/mail-sender-process.js`, with the
 * workers' configuration): what the crash test kills mid-batch. The workers process runs the same sender.
 */
import { createLogger, fieldLogger, loadConfigOrExit, requireValue, SecretBox } from '@stratus/infra';
import { createProjectionsOrm } from '@stratus/projections';
import { mailSettingsFrom } from './mail-config';
import { MailSender } from './mail-sender';

async function main(): Promise<void> {
  const config = loadConfigOrExit('workers');
  const logger = fieldLogger(createLogger({ service: 'mail-sender' }));
  const settings = mailSettingsFrom(config);
  if (!settings.smtpUrl) throw new Error('SMTP_URL is not set');
  const orm = await createProjectionsOrm(requireValue(config, 'DATABASE_URL'));
  const sender = new MailSender({
    knex: orm.em.getConnection().getKnex(),
    smtpUrl: settings.smtpUrl,
    from: settings.from,
    brand: settings.brand,
    secretBox: new SecretBox(requireValue(config, 'SECRETS_ENCRYPTION_KEY')),
    pollMs: 100,
    logger,
  });
  sender.start();
  const stop = () =>
    void sender
      .stop()
      .then(() => orm.close(true))
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`mail sender: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
