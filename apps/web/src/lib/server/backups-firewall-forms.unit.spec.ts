/**
 * The server page's backups and firewall actions (issue 15) against a stand-in API: what each sends, and where a
 * refusal shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';
import {
  firewallAddRuleAction,
  firewallDefaultAction,
  firewallRemoveRuleAction,
  parseAddresses,
  parseFirewallPolicyForm,
  restoreAction,
  snapshotAction,
} from './forms';
import { firewallRuleLine } from '../firewall-rule-line';

const VPS = '0f8fad5b-d9cb-469f-a165-70867728950e';
const formOf = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
};

let server: Server;
let api: ApiClient;
const calls: Array<{ method: string; url: string; body: unknown }> = [];
/** Answers in the order the requests come. */
let answers: Array<{ status: number; body: unknown }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', body: body ? JSON.parse(body) : null });
      const answer = answers.shift() ?? { status: 500, body: { error: 'unexpected' } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = new ApiClient({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    token: 't',
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  calls.length = 0;
  answers = [];
});

const accepted = (operation: Record<string, unknown>) => ({
  status: 202,
  body: { operation: { id: 'op-1', ...operation }, workflowId: 'vps-x-op-1', position: '9/9' },
});
const current = {
  status: 200,
  body: {
    source: 'server',
    defaultInbound: 'DROP',
    inbound: [{ protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/0'] }],
    pending: null,
  },
};

describe('snapshots and restores', () => {
  it('takes a snapshot with its name; no name: asked for, nothing sent', async () => {
    answers = [accepted({ kind: 'snapshot', label: 'before-upgrade' })];
    const outcome = await snapshotAction(api, 'o', VPS, formOf({ label: ' before-upgrade ' }));
    expect(calls).toEqual([
      { method: 'POST', url: `/api/organizations/o/vps/${VPS}/snapshots`, body: { label: 'before-upgrade' } },
    ]);
    expect(outcome).toEqual({
      kind: 'ok',
      form: 'snapshot',
      notice: 'Taking the snapshot before-upgrade…',
      position: '9/9',
    });
    expect(await snapshotAction(api, 'o', VPS, formOf({ label: '' }))).toMatchObject({
      kind: 'fail',
      failure: { form: 'snapshot', fieldErrors: { label: expect.any(String) } },
    });
    expect(calls).toHaveLength(1);
  });

  it('shows backups being off beside the name', async () => {
    answers = [{ status: 409, body: { error: 'backups_not_enabled', message: 'Backups are not enabled' } }];
    expect(await snapshotAction(api, 'o', VPS, formOf({ label: 'x' }))).toMatchObject({
      kind: 'fail',
      status: 409,
      failure: { fieldErrors: { label: 'Backups are not enabled' } },
    });
  });

  it('restores a backup with the confirmation; a refusal is the form’s message', async () => {
    answers = [accepted({ kind: 'restore', backupId: '42' })];
    const outcome = await restoreAction(api, 'o', VPS, formOf({ backupId: '42' }));
    expect(calls[0]).toEqual({
      method: 'POST',
      url: `/api/organizations/o/vps/${VPS}/backups/42/restore`,
      body: { confirm: true },
    });
    expect(outcome).toMatchObject({ kind: 'ok', form: 'restore' });
    answers = [
      { status: 404, body: { error: 'backup_not_found', message: 'This server has no such backup' } },
    ];
    expect(await restoreAction(api, 'o', VPS, formOf({ backupId: '7' }))).toMatchObject({
      kind: 'fail',
      status: 404,
      failure: { form: 'restore', message: 'This server has no such backup' },
    });
  });
});

describe('the firewall editor', () => {
  it('adds a rule to the rules in effect (read first) and sends the whole set', async () => {
    answers = [current, accepted({ kind: 'firewall' })];
    const outcome = await firewallAddRuleAction(
      api,
      'o',
      VPS,
      formOf({ protocol: 'UDP', ports: '53', addresses: '203.0.113.0/24,  2001:db8::/32\n198.51.100.7' }),
    );
    expect(calls.map((call) => call.method)).toEqual(['GET', 'PUT']);
    expect(calls[1]).toEqual({
      method: 'PUT',
      url: `/api/organizations/o/vps/${VPS}/firewall`,
      body: {
        defaultInbound: 'DROP',
        inbound: [
          { protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/0'] },
          { protocol: 'UDP', ports: '53', addresses: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'] },
        ],
      },
    });
    expect(outcome).toMatchObject({ kind: 'ok', form: 'firewallRule', notice: 'Adding the rule…' });
  });

  it('checks the rule form before calling; shows the API’s refusal of a field beside it', async () => {
    expect(
      await firewallAddRuleAction(api, 'o', VPS, formOf({ protocol: 'ICMP', ports: '22', addresses: '' })),
    ).toMatchObject({
      kind: 'fail',
      failure: { fieldErrors: { ports: expect.any(String), addresses: expect.any(String) } },
    });
    expect(calls).toHaveLength(0);
    answers = [
      current,
      {
        status: 400,
        body: {
          error: 'invalid_firewall_rules',
          message: 'inbound[1].ports: "0" is not a port',
          details: { field: 'inbound[1].ports' },
        },
      },
    ];
    expect(
      await firewallAddRuleAction(api, 'o', VPS, formOf({ protocol: 'TCP', ports: '0', addresses: '::/0' })),
    ).toMatchObject({
      kind: 'fail',
      status: 400,
      failure: { form: 'firewallRule', fieldErrors: { ports: 'inbound[1].ports: "0" is not a port' } },
    });
  });

  it('removes a rule by its place, and changes the default policy', async () => {
    answers = [current, accepted({ kind: 'firewall' })];
    await firewallRemoveRuleAction(api, 'o', VPS, formOf({ index: '0' }));
    expect(calls[1].body).toEqual({ defaultInbound: 'DROP', inbound: [] });
    answers = [current, accepted({ kind: 'firewall' })];
    const outcome = await firewallDefaultAction(api, 'o', VPS, formOf({ defaultInbound: 'ACCEPT' }));
    expect(calls[3].body).toEqual({ defaultInbound: 'ACCEPT', inbound: current.body.inbound });
    expect(outcome).toMatchObject({ kind: 'ok', notice: 'Setting the default to accept…' });
    expect(await firewallDefaultAction(api, 'o', VPS, formOf({ defaultInbound: 'REJECT' }))).toMatchObject({
      kind: 'fail',
    });
  });

  it('reads networks separated by commas, spaces or lines', () => {
    expect(parseAddresses(' a, b\nc  d,,')).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe("the staff's default policy form", () => {
  it('reads the default and one rule per line; a line back from a rule reads the same', () => {
    const parsed = parseFirewallPolicyForm(
      formOf({
        defaultInbound: 'DROP',
        rules: 'tcp 22 0.0.0.0/0 ::/0\n\nICMP 0.0.0.0/0\nUDP all 10.0.0.0/8',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        defaultInbound: 'DROP',
        inbound: [
          { protocol: 'TCP', ports: '22', addresses: ['0.0.0.0/0', '::/0'] },
          { protocol: 'ICMP', ports: null, addresses: ['0.0.0.0/0'] },
          { protocol: 'UDP', ports: null, addresses: ['10.0.0.0/8'] },
        ],
      },
    });
    if (!parsed.ok) throw new Error('parsed');
    expect(parsed.value.inbound.map(firewallRuleLine)).toEqual([
      'TCP 22 0.0.0.0/0 ::/0',
      'ICMP 0.0.0.0/0',
      'UDP all 10.0.0.0/8',
    ]);
  });

  it('names the line it cannot read', () => {
    expect(
      parseFirewallPolicyForm(formOf({ defaultInbound: 'DROP', rules: 'TCP 22 ::/0\nGRE 0.0.0.0/0' })),
    ).toMatchObject({
      ok: false,
      failure: { fieldErrors: { rules: expect.stringMatching(/^Line 2/) } },
    });
    expect(parseFirewallPolicyForm(formOf({ defaultInbound: 'DROP', rules: 'TCP 22' }))).toMatchObject({
      ok: false,
    });
    expect(parseFirewallPolicyForm(formOf({ defaultInbound: 'MAYBE', rules: '' }))).toMatchObject({
      ok: false,
    });
  });
});
