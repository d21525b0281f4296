import { runMailpit, type Mailpit, type MailpitOptions } from '../mailpit/mailpit';

export type { Mailpit } from '../mailpit/mailpit';
export * from '../mailpit/mailpit-client';

/**
 * Mailpit for one test suite on free loopback ports (built from its Go module when the cache has none): SMTP_URL is
 * `mailpit.smtpUrl`, `mailpitClient(mailpit.uiUrl)` reads what arrived; call `mailpit.stop()` in afterAll.
 */
export function startMailpit(options: Omit<MailpitOptions, 'smtpPort' | 'uiPort'> = {}): Promise<Mailpit> {
  return runMailpit({ ...options, smtpPort: 0, uiPort: 0 });
}
