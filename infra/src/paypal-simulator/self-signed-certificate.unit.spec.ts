import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { selfSignedCertificate } from './self-signed-certificate';

test('node reads the certificate back, with its subject, validity and a signature by its own key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = new Date('2026-03-01T12:00:00Z');
  const pem = selfSignedCertificate(
    privateKey,
    { commonName: 'sim.example', organization: 'Stratus' },
    30,
    now,
  );
  const certificate = new X509Certificate(pem);
  expect(certificate.subject).toBe('O=Stratus\nCN=sim.example');
  expect(certificate.issuer).toBe(certificate.subject);
  expect(new Date(certificate.validFrom).toISOString()).toBe('2026-02-28T12:00:00.000Z');
  expect(new Date(certificate.validTo).toISOString()).toBe('2026-03-31T12:00:00.000Z');
  expect(certificate.ca).toBe(true);
  expect(certificate.verify(certificate.publicKey)).toBe(true);
  expect(certificate.checkIssued(certificate)).toBe(true);
  expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(
    publicKey.export({ type: 'spki', format: 'pem' }),
  );
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  expect(certificate.verify(other.publicKey)).toBe(false);
});
