/**
 * Sends the outbox's due rows over SMTP, one message a row with the Message-ID `<row id@sender's domain>`.
 *
 * Never twice, by construction. Per row: (1) claim it ('sending', a fresh claim token, committed); (2) run the
 * SMTP transaction up to the message body, leaving out only its terminating "<CRLF>.<CRLF>"; (3) commit 'sent'
 * (only if the claim is still ours); (4) only then write the terminator, upon which the server accepts the
 * message; (5) record the server's 250 as `confirmed_at`. A server keeps no message whose terminator never came,
 * so a row left 'sending' by a crash was not delivered and is sent again once its claim is older than the lease;
 * a row that is 'sent' is never sent again. A server's refusal is recorded: 5xx as 'failed' (shown to staff),
 * anything else retried with backoff.
 * The one case SMTP cannot settle: the process dies after committing 'sent' and before the terminator leaves (the
 * time of one database round trip), or the connection drops after the terminator and before the 250. Such a row
 * stays 'sent' without `confirmed_at`: the mail may be lost, never doubled, and staff see it unconfirmed.
 *
 * A link token (verification, password reset) is kept sealed in the row (`sealedToken`, bound to `sealedFor`) and
 * opened with the secret box only to render the message: it is in clear nowhere but the mail itself.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Knex } from '@mikro-orm/postgresql';
import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SecretBox } from '@stratus/infra';
import type { ProjectionLogger } from '@stratus/projections';
import { isMailTemplateName, renderMail, type MailBrand, type MailTemplateData } from './mail-templates';

export interface MailSenderOptions {
  knex: Knex;
  /** SMTP_URL: smtp://[user:pass@]host[:port] or smtps://… */
  smtpUrl: string;
  /** MAIL_FROM */
  from: string;
  brand: MailBrand;
  /** Opens the sealed link tokens (SECRETS_ENCRYPTION_KEY). */
  secretBox: Pick<SecretBox, 'decrypt'>;
  /** A 'sending' claim older than this is the remains of a crash: its row is sent again. Default 60 s. */
  leaseMs?: number;
  /** Pause when nothing is due. Default 500 ms. */
  pollMs?: number;
  /** Attempts before a row that keeps failing temporarily is given up as failed. Default 10. */
  maxAttempts?: number;
  logger?: ProjectionLogger;
}

interface ClaimedRow {
  id: string;
  template: string;
  to_address: string;
  data: MailTemplateData;
  attempts: number;
  claim_token: string;
}

export type SendOutcome = 'sent' | 'retry' | 'failed' | 'unconfirmed' | 'lost_claim';

interface SmtpError extends Error {
  responseCode?: number;
}

/** The address part of "Name <user@domain>". */
function addressOf(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}

export class MailSender {
  private stopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly fromAddress: string;
  private readonly domain: string;
  private readonly smtp: URL;

  constructor(private readonly options: MailSenderOptions) {
    this.fromAddress = addressOf(options.from);
    this.domain = this.fromAddress.split('@')[1] ?? 'localhost';
    this.smtp = new URL(options.smtpUrl);
  }

  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  messageIdOf(rowId: string): string {
    return `<${rowId}@${this.domain}>`;
  }

  /** Sends every row due now; returns the outcomes (tests, and the loop). */
  async sendDue(): Promise<SendOutcome[]> {
    const outcomes: SendOutcome[] = [];
    for (;;) {
      if (this.stopping) return outcomes;
      const row = await this.claim();
      if (!row) return outcomes;
      outcomes.push(await this.send(row));
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const outcomes = await this.sendDue();
        failures = outcomes.includes('retry') ? failures + 1 : 0;
        await this.sleep(
          failures ? Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) : (this.options.pollMs ?? 500),
        );
      } catch (error) {
        failures += 1;
        this.options.logger?.error('mail sender: failed', { error: String(error) });
        await this.sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
      }
    }
  }

  private async claim(): Promise<ClaimedRow | null> {
    const leaseSeconds = (this.options.leaseMs ?? 60_000) / 1000;
    const result = await this.options.knex.raw(
      `update mail_outbox set status = 'sending', claim_token = ?, claimed_at = clock_timestamp(),
              attempts = attempts + 1
        where id = (select id from mail_outbox
                     where (status = 'pending' and next_attempt_at <= now())
                        or (status = 'sending' and claimed_at < clock_timestamp() - make_interval(secs => ?))
                     order by next_attempt_at, id limit 1 for update skip locked)
        returning id, template, to_address, data, attempts, claim_token`,
      [randomUUID(), leaseSeconds],
    );
    return (result.rows[0] as ClaimedRow | undefined) ?? null;
  }

  private async send(row: ClaimedRow): Promise<SendOutcome> {
    const { knex } = this.options;
    if (!isMailTemplateName(row.template)) {
      await this.settle(row, 'failed', `unknown template ${row.template}`);
      return 'failed';
    }
    const data = this.openSealed(row.data);
    if (!data) {
      await this.settle(row, 'failed', 'the sealed token cannot be opened (SECRETS_ENCRYPTION_KEY changed?)');
      return 'failed';
    }
    const rendered = renderMail(row.template, data, this.options.brand);
    const raw = await new MailComposer({
      from: this.options.from,
      to: row.to_address,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: this.messageIdOf(row.id),
    })
      .compile()
      .build();

    let committed = false;
    let terminated = false;
    // Read by the SMTP connection only after the server's 354: the body, then (once 'sent' is committed) the end.
    const body = new Readable({
      read() {
        if (committed) return;
        committed = true;
        this.push(raw);
        knex
          .raw(
            `update mail_outbox set status = 'sent', sent_at = clock_timestamp()
              where id = ? and claim_token = ? and status = 'sending'`,
            [row.id, row.claim_token],
          )
          .then((result: { rowCount?: number }) => {
            if (result.rowCount !== 1) return this.destroy(new Error('claim lost'));
            terminated = true;
            this.push(null);
          })
          .catch((error: Error) => this.destroy(error));
      },
    });

    try {
      await this.transmit(row.to_address, body);
    } catch (error) {
      const smtpError = error as SmtpError;
      const answered = typeof smtpError.responseCode === 'number';
      if (terminated && !answered) {
        await this.note(row, `unconfirmed: ${smtpError.message}`);
        return 'unconfirmed';
      }
      if (committed && !terminated && smtpError.message.includes('claim lost')) return 'lost_claim';
      const permanent = answered && smtpError.responseCode! >= 500;
      const giveUp = permanent || row.attempts >= (this.options.maxAttempts ?? 10);
      await this.settle(row, giveUp ? 'failed' : 'retry', smtpError.message, terminated);
      this.options.logger?.warn(`mail sender: ${giveUp ? 'failed' : 'will retry'}`, {
        id: row.id,
        error: smtpError.message,
      });
      return giveUp ? 'failed' : 'retry';
    }
    await knex.raw(
      `update mail_outbox set confirmed_at = clock_timestamp() where id = ? and claim_token = ?`,
      [row.id, row.claim_token],
    );
    return 'sent';
  }

  /** The row's data with its sealed token, if any, opened as `token`; null when it cannot be opened. */
  private openSealed(data: MailTemplateData): MailTemplateData | null {
    const { sealedToken, sealedFor, ...rest } = data;
    if (sealedToken === undefined) return data;
    try {
      return { ...rest, token: this.options.secretBox.decrypt(sealedToken, sealedFor ?? '') };
    } catch {
      return null;
    }
  }

  /** One SMTP session: connect (STARTTLS when offered, TLS for smtps:), log in when the URL has a user, send. */
  private async transmit(to: string, message: Readable): Promise<void> {
    const secure = this.smtp.protocol === 'smtps:';
    const connection = new SMTPConnection({
      host: this.smtp.hostname,
      port: Number(this.smtp.port || (secure ? 465 : 587)),
      secure,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    const call = <T>(start: (done: (error: Error | null, value?: T) => void) => void) =>
      new Promise<T>((resolve, reject) =>
        start((error, value) => (error ? reject(error) : resolve(value as T))),
      );
    const failed = new Promise<never>((_, reject) => connection.once('error', reject));
    failed.catch(() => undefined);
    try {
      await Promise.race([call<void>((done) => connection.connect(() => done(null))), failed]);
      if (this.smtp.username) {
        await Promise.race([
          call<void>((done) =>
            connection.login(
              { user: decodeURIComponent(this.smtp.username), pass: decodeURIComponent(this.smtp.password) },
              (error) => done(error ?? null),
            ),
          ),
          failed,
        ]);
      }
      await Promise.race([
        call((done) =>
          connection.send({ from: this.fromAddress, to: [to] }, message, (error, info) => done(error, info)),
        ),
        failed,
      ]);
      connection.quit();
    } finally {
      connection.close();
    }
  }

  private async settle(
    row: ClaimedRow,
    outcome: 'failed' | 'retry',
    error: string,
    wasSent = false,
  ): Promise<void> {
    const backoffSeconds = Math.min(3600, 5 * 2 ** Math.min(row.attempts, 10));
    await this.options.knex.raw(
      `update mail_outbox
          set status = ?, next_attempt_at = clock_timestamp() + make_interval(secs => ?), last_error = ?,
              claim_token = null, sent_at = null
        where id = ? and claim_token = ? and status = ?`,
      [
        outcome === 'failed' ? 'failed' : 'pending',
        backoffSeconds,
        error.slice(0, 2000),
        row.id,
        row.claim_token,
        wasSent ? 'sent' : 'sending',
      ],
    );
  }

  private async note(row: ClaimedRow, error: string): Promise<void> {
    await this.options.knex.raw(`update mail_outbox set last_error = ? where id = ? and claim_token = ?`, [
      error.slice(0, 2000),
      row.id,
      row.claim_token,
    ]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      this.wake = done;
    });
  }
}
