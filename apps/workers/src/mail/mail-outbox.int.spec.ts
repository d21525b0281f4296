/**
 * The mail outbox end to end on the real PostgreSQL and a real SMTP server (Mailpit): events → outbox rows (in the
 * reactor's checkpoint transaction, the same rows however often it runs) → messages, each exactly once, even when
 * the sender is SIGKILLed mid-batch.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '@stratus/infra/testing';
import { mailEvent as event, MailTestBed, TEST_BRAND, TEST_FROM } from './testing/mail-test-bed';

jest.setTimeout(180_000);

const SENDER_PROCESS = resolve(__dirname, '..', '..', 'dist', 'mail', 'mail-sender-process.js');

describe('mail outbox', () => {
  const bed = new MailTestBed();
  const append = bed.append.bind(bed);
  const register = bed.register.bind(bed);
  const project = () => bed.project();
  const outboxRows = async () =>
    (
      await bed.knex.raw(
        `select id, event_id, template, recipient_user_id, to_address, data from mail_outbox order by id`,
      )
    ).rows;
  const reactor = () => bed.reactor({ batchSize: 7 });
  const sender = (overrides: Parameters<MailTestBed['sender']>[0] = {}) => bed.sender(overrides);

  beforeAll(async () => {
    await bed.start('stratus_mail');
    await register('u-ada', 'ada@example.test');
    await register('u-bob', 'bob@example.test');
    await append(
      'organization-o1',
      event('OrganizationCreated', { organizationId: 'o1', name: 'Acme', createdBy: 'u-ada' }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-ada', role: 'owner' }),
      event('MemberAdded', { organizationId: 'o1', userId: 'u-bob', role: 'admin' }),
    );
    await append(
      'vps-v1',
      event('VpsRequested', {
        vpsId: 'v1',
        organizationId: 'o1',
        label: 'web-1',
        planId: 'p1',
        providerPlanId: 'g6-nanode-1',
        region: 'eu-west',
        image: 'linode/debian12',
        backups: false,
        sshKeyIds: [],
        encryptedRootPassword: 'iv.tag.secret-ciphertext',
        hourlyPrice: '0.010000',
        monthlyPrice: '5.000000',
        idempotencyKey: 'k1',
        workflowId: 'w1',
      }),
      event('VpsActivated', {
        vpsId: 'v1',
        providerInstanceId: 'i1',
        ipv4: '203.0.113.7',
        billingWorkflowId: 'b1',
        billedUntil: new Date().toISOString(),
      }),
    );
    await project();
  });

  afterAll(() => bed.stop());

  it('writes one row per (event, template, recipient), the same rows however often the reactor runs', async () => {
    expect(await reactor().catchUp()).toBe(5);
    const first = await outboxRows();
    expect(
      first.map((r: { template: string; to_address: string }) => `${r.template} ${r.to_address}`).sort(),
    ).toEqual([
      'member_added bob@example.test',
      'server_active ada@example.test',
      'server_active bob@example.test',
      'welcome ada@example.test',
      'welcome bob@example.test',
    ]);
    // Run again from its checkpoint: nothing new. From scratch: the same rows.
    expect(await reactor().catchUp()).toBe(0);
    await bed.knex.raw(`delete from projection_checkpoints where name = 'mail-outbox'`);
    expect(await reactor().catchUp()).toBe(0);
    expect(await outboxRows()).toEqual(first);
  });

  it('sends each row once to Mailpit, with the server’s IP and never its password', async () => {
    const outcomes = await sender().sendDue();
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(await sender().sendDue()).toEqual([]);
    const client = bed.client;
    const toBob = await client.messagesTo('bob@example.test');
    expect(toBob.map((m) => m.Subject).sort()).toEqual([
      'Welcome to Stratus',
      'You were added to Acme',
      'Your server "web-1" is ready',
    ]);
    const active = await client.message(toBob.find((m) => m.Subject.includes('web-1'))!.ID);
    expect(active.Text).toContain('203.0.113.7');
    expect(active.HTML).toContain('http://portal.test/vps/v1');
    expect(active.Text + active.HTML).not.toContain('secret-ciphertext');
    const rows = (await bed.knex.raw(`select status, confirmed_at from mail_outbox`)).rows;
    expect(
      rows.every((r: { status: string; confirmed_at: Date | null }) => r.status === 'sent' && r.confirmed_at),
    ).toBe(true);
    await client.deleteAll();
  });

  it('records a refused address as failed, with the server’s answer', async () => {
    await register('u-eve', 'eve@elsewhere.test');
    await project();
    await reactor().catchUp();
    expect(await sender().sendDue()).toEqual(['failed']);
    const [row] = (
      await bed.knex.raw(`select status, last_error from mail_outbox where to_address = 'eve@elsewhere.test'`)
    ).rows;
    expect(row.status).toBe('failed');
    expect(row.last_error).toMatch(/55\d/);
    expect(await sender().sendDue()).toEqual([]);
  });

  it('delivers every message exactly once when the sender is SIGKILLed mid-batch and restarted', async () => {
    expect(existsSync(SENDER_PROCESS)).toBe(true); // npm run build
    const client = bed.client;
    await client.deleteAll();
    const count = 80;
    for (let i = 0; i < count; i++) await register(`crash-${i}`, `crash-${i}@example.test`);
    await project();
    expect(await reactor().catchUp()).toBe(count);

    const child = spawn(process.execPath, [SENDER_PROCESS], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: bed.db.url,
        SMTP_URL: bed.mailpit.smtpUrl,
        MAIL_FROM: TEST_FROM,
        PORTAL_URL: TEST_BRAND.portalUrl,
        SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((res) => child.once('exit', res));
    const before = await waitFor(
      'the sender to be part-way through',
      async () => {
        const seen = (await client.messages()).length;
        if (child.exitCode !== null) throw new Error(`sender exited: ${stderr}`);
        return { value: seen >= 15 ? seen : undefined, seen };
      },
      60_000,
      20,
    );
    child.kill('SIGKILL');
    await exited;
    const afterKill = (await client.messages()).length;
    expect(before).toBeLessThan(count);
    expect(afterKill).toBeLessThan(count);

    // The restarted sender (a claim of the dead one is stale at once: lease 0) finishes the batch.
    const restarted = sender({ leaseMs: 0 });
    await restarted.sendDue();

    const messages = await client.messages();
    const rows: { id: string; status: string; confirmed_at: Date | null }[] = (
      await bed.knex.raw(
        `select id, status, confirmed_at from mail_outbox where recipient_user_id like 'crash-%'`,
      )
    ).rows;
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const perMessageId = new Map<string, number>();
    for (const m of messages) perMessageId.set(m.MessageID, (perMessageId.get(m.MessageID) ?? 0) + 1);
    // Never twice.
    expect([...perMessageId.values()].filter((n) => n > 1)).toEqual([]);
    // Every row arrived, except one the sender itself flags as unconfirmed (killed between committing 'sent' and
    // the final dot, a window of one database round trip): at most the one in flight.
    const missing = rows.filter((r) => !perMessageId.has(restarted.messageIdOf(r.id).slice(1, -1)));
    expect(missing.every((r) => r.confirmed_at === null)).toBe(true);
    expect(missing.length).toBeLessThanOrEqual(1);
    expect(rows.filter((r) => r.confirmed_at === null).length).toBeLessThanOrEqual(1);
    expect(messages).toHaveLength(count - missing.length);
  });
});
