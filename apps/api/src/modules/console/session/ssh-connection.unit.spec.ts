import { describeHostKey, hostKeyAlgorithmsFor } from './ssh-connection';

// Public keys and their fingerprints as `ssh-keygen -l -E sha256 -f key.pub` printed them.
const ED25519 = 'AAAAC3NzaC1lZDI1NTE5AAAAIJx0tw+0q8t4RMZo8w1Bfz2x5jBSeazwAtTJ1R84Z5qy';
const ECDSA =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBYZ4zmf0k6JzS36XT3VTCds1cu15ZlJgAUHPp7atxvtAXCxFg/LGZcf351A8NogJ3cPEc7amWnclY7xn/WnjGI=';

describe('describeHostKey', () => {
  test.each([
    [ED25519, 'ssh-ed25519', 'SHA256:tFghJgXcoAgKLlXyMDV9clcqQ0Cb1HoIg2Y50ViCRAc'],
    [ECDSA, 'ecdsa-sha2-nistp256', 'SHA256:gl0t0WfBkRCXbgKZvkvGFcaviaMG3TqEu907ABxW8c4'],
  ])('gives the key type and the fingerprint ssh-keygen prints', (blob, algorithm, fingerprint) => {
    expect(describeHostKey(Buffer.from(blob, 'base64'))).toEqual({ algorithm, fingerprint });
  });

  test.each([
    ['empty', Buffer.alloc(0)],
    ['a type longer than the blob', Buffer.from([0, 0, 0, 50, 65])],
    ['a zero-length type', Buffer.from([0, 0, 0, 0])],
  ])('refuses a malformed blob (%s)', (_name, blob) => {
    expect(() => describeHostKey(blob)).toThrow('malformed SSH host key blob');
  });
});

describe('hostKeyAlgorithmsFor', () => {
  test('offers only the pinned type; an RSA key may sign with SHA-2', () => {
    expect(hostKeyAlgorithmsFor('ssh-ed25519')).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithmsFor('ssh-rsa')).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
