import { streams } from '@stratus/domain';
import { SAMPLE_SSH_KEYS } from '@stratus/domain/ssh-key/testing/ssh-key-samples';
import { startTestApi, type TestApi } from '../../testing/api-test-app';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

let api: TestApi;

interface Customer {
  token: string;
  email: string;
  orgId: string;
  userId: string;
}

let counter = 0;
async function customer(): Promise<Customer> {
  const email = `keys${++counter}@example.com`;
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `Keys ${counter}` },
  });
  expect(res.status).toBe(201);
  return { token: res.body.token, email, orgId: res.body.organization.id, userId: res.body.user.id };
}

const keys = (who: Customer) => `/api/organizations/${who.orgId}/ssh-keys`;
const add = (who: Customer, publicKey: string, name = 'Laptop') =>
  api.request('POST', keys(who), { token: who.token, body: { name, publicKey } });

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('SSH keys of an organization', () => {
  test('add → 201 with type, size and the SHA256 fingerprint; listed oldest first; deleted', async () => {
    const who = await customer();
    const first = await add(who, `  ${SAMPLE_SSH_KEYS.ed25519.publicKey}\n`);
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 201 });
    expect(first.body).toEqual({
      key: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Laptop',
        algorithm: 'ssh-ed25519',
        bits: 256,
        fingerprint: SAMPLE_SSH_KEYS.ed25519.fingerprint,
        publicKey: SAMPLE_SSH_KEYS.ed25519.publicKey,
        createdAt: expect.any(String),
      },
      position: expect.stringMatching(/^\d+\/\d+$/),
    });
    const second = await add(who, SAMPLE_SSH_KEYS.rsa3072.publicKey, 'CI deploy');
    expect(second.body.key).toMatchObject({ algorithm: 'ssh-rsa', bits: 3072 });

    const list = await api.request('GET', keys(who), {
      token: who.token,
      headers: { 'X-Min-Position': second.body.position },
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((k: { name: string }) => k.name)).toEqual(['Laptop', 'CI deploy']);
    expect(list.body.items[0]).toEqual(first.body.key);

    const removed = await api.request('DELETE', `${keys(who)}/${first.body.key.id}`, { token: who.token });
    expect(removed.body).toEqual({ id: first.body.key.id, position: expect.any(String) });
    const after = await api.request('GET', keys(who), {
      token: who.token,
      headers: { 'X-Min-Position': removed.body.position },
    });
    expect(after.body.items.map((k: { name: string }) => k.name)).toEqual(['CI deploy']);

    // The audit trail: who added and deleted which key.
    const events = await api.eventStore.readStream(streams.sshKeys(who.orgId));
    expect(events.map((e) => e.type)).toEqual(['SshKeyAdded', 'SshKeyAdded', 'SshKeyDeleted']);
    expect(events[2].metadata.actor).toMatchObject({ userId: who.userId });
    expect(events[2].data).toMatchObject({
      keyId: first.body.key.id,
      fingerprint: first.body.key.fingerprint,
    });
  });

  test('the same key twice is a 409 naming the key already added, whatever the comment', async () => {
    const who = await customer();
    const first = await add(who, SAMPLE_SSH_KEYS.ecdsa384.publicKey);
    const [type, blob] = SAMPLE_SSH_KEYS.ecdsa384.publicKey.split(' ');
    const count = await api.eventCount();
    const again = await add(who, `${type} ${blob} another-comment`, 'Again');
    expect({ status: again.status, body: again.body }).toMatchObject({
      status: 409,
      body: {
        error: 'ssh_key_duplicate',
        details: { keyId: first.body.key.id, fingerprint: SAMPLE_SSH_KEYS.ecdsa384.fingerprint },
      },
    });
    expect(await api.eventCount()).toBe(count);
    // Another organization may hold the same key (one person in two organizations).
    expect((await add(await customer(), SAMPLE_SSH_KEYS.ecdsa384.publicKey)).status).toBe(201);
  });

  test('bad keys and names are 400s that say why, and record nothing', async () => {
    const who = await customer();
    const count = await api.eventCount();
    const cases: [unknown, unknown, string][] = [
      ['Old', SAMPLE_SSH_KEYS.rsa1024.publicKey, 'weak_public_key'],
      ['DSA', SAMPLE_SSH_KEYS.dsa.publicKey, 'unsupported_key_type'],
      ['Broken', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJCB', 'invalid_public_key'],
      ['Private', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', 'invalid_public_key'],
      ['   ', SAMPLE_SSH_KEYS.ed25519.publicKey, 'invalid_name'],
      [42, SAMPLE_SSH_KEYS.ed25519.publicKey, 'validation_failed'],
      ['No key', undefined, 'validation_failed'],
    ];
    for (const [name, publicKey, error] of cases) {
      const res = await api.request('POST', keys(who), { token: who.token, body: { name, publicKey } });
      expect({ name, status: res.status, error: res.body.error }).toEqual({ name, status: 400, error });
      expect(res.body.message).toEqual(expect.any(String));
    }
    expect(await api.eventCount()).toBe(count);
  });

  test("another organization's key is a 404 to delete; unknown and malformed ids too", async () => {
    const owner = await customer();
    const other = await customer();
    const key = (await add(owner, SAMPLE_SSH_KEYS.ecdsa256.publicKey)).body.key.id as string;
    const count = await api.eventCount();
    for (const id of [key, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await api.request('DELETE', `${keys(other)}/${id}`, { token: other.token });
      expect({ id, status: res.status, error: res.body.error }).toEqual({
        id,
        status: 404,
        error: 'ssh_key_not_found',
      });
    }
    expect(await api.eventCount()).toBe(count);
  });

  test('a member sees the keys (ssh_keys_view) but may not add or delete them (ssh_keys_manage)', async () => {
    const owner = await customer();
    const member = await customer();
    await joinByInvitation(api, owner.orgId, owner.token, member, 'member');
    const key = await add(owner, SAMPLE_SSH_KEYS.ed25519.publicKey);
    const asMember = { ...member, orgId: owner.orgId };
    const list = await api.request('GET', keys(asMember), {
      token: member.token,
      headers: { 'X-Min-Position': key.body.position },
    });
    expect(list.body.items).toHaveLength(1);
    expect((await add(asMember, SAMPLE_SSH_KEYS.ecdsa256.publicKey)).status).toBe(403);
    const removed = await api.request('DELETE', `${keys(asMember)}/${key.body.key.id}`, {
      token: member.token,
    });
    expect(removed.status).toBe(403);
  });
});
