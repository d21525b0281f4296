/**
 * A self-signed X.509 v3 certificate built with node:crypto alone (node parses certificates but has no builder, and
 * no certificate library is a dependency): a small DER encoder for the handful of structures a certificate needs,
 * signed sha256WithRSAEncryption. `new X509Certificate(pem)` reads it back; `cert.verify(cert.publicKey)` holds.
 */
import { createPublicKey, KeyObject, randomBytes, sign } from 'node:crypto';

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
};
const sequence = (...parts: Buffer[]) => der(0x30, ...parts);
const set = (...parts: Buffer[]) => der(0x31, ...parts);
const nullValue = () => Buffer.from([0x05, 0x00]);
const bitString = (bytes: Buffer, unusedBits = 0) => der(0x03, Buffer.from([unusedBits]), bytes);
const octetString = (bytes: Buffer) => der(0x04, bytes);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const booleanTrue = () => Buffer.from([0x01, 0x01, 0xff]);

function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return der(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift(value % 128);
      if (value < 128) break;
    }
    bytes.push(...groups.map((group, index) => (index < groups.length - 1 ? group | 0x80 : group)));
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(at: Date): Buffer {
  const iso = at.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  return at.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

const OID = {
  sha256WithRSA: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
};

export interface CertificateSubject {
  commonName: string;
  organization?: string;
}

function name(subject: CertificateSubject): Buffer {
  const attribute = (oid: string, value: string) => set(sequence(objectId(oid), utf8(value)));
  return sequence(
    ...(subject.organization ? [attribute(OID.organization, subject.organization)] : []),
    attribute(OID.commonName, subject.commonName),
  );
}

/** A PEM certificate for the RSA key pair, issued by itself, valid from a day ago for `validDays`. */
export function selfSignedCertificate(
  privateKey: KeyObject,
  subject: CertificateSubject,
  validDays = 365,
  now: Date = new Date(),
): string {
  const algorithm = sequence(objectId(OID.sha256WithRSA), nullValue());
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const notBefore = new Date(now.getTime() - 24 * 3600_000);
  const notAfter = new Date(now.getTime() + validDays * 24 * 3600_000);
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const extensions = der(
    0xa3,
    sequence(
      // CA:TRUE, critical: it is its own trust anchor.
      sequence(objectId(OID.basicConstraints), booleanTrue(), octetString(sequence(booleanTrue()))),
      // digitalSignature (webhook signatures) and keyCertSign (its own signature), critical.
      sequence(objectId(OID.keyUsage), booleanTrue(), octetString(bitString(Buffer.from([0x84]), 2))),
    ),
  );
  const tbs = sequence(
    der(0xa0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    algorithm,
    name(subject),
    sequence(time(notBefore), time(notAfter)),
    name(subject),
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, algorithm, bitString(signature));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
