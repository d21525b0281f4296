import { DomainError } from '../shared/decider';

/**
 * Address ranges in CIDR notation ("203.0.113.0/24", "2001:db8::/32", or one address), checked without I/O so
 * that the domain stays pure: matching a client's address against them is the API's job (node:net BlockList).
 */

const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((part) => IPV4_OCTET.test(part));
}

function isIpv6(text: string): boolean {
  const lastColon = text.lastIndexOf(':');
  if (lastColon === -1 || text.length > 45) return false;
  let groupsText = text;
  // An embedded IPv4 tail ("::ffff:192.0.2.1") stands for the last two groups.
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    groupsText = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

export interface IpRange {
  address: string;
  prefixLength: number;
  family: 'ipv4' | 'ipv6';
}

/** The range `text` names, or null when it is not CIDR notation. */
export function parseIpRange(text: string): IpRange | null {
  const [address, bits, extra] = text.split('/');
  if (extra !== undefined) return null;
  const family = isIpv4(address) ? 'ipv4' : isIpv6(address) ? 'ipv6' : null;
  if (family === null) return null;
  const max = family === 'ipv4' ? 32 : 128;
  if (bits === undefined) return { address, prefixLength: max, family };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { address, prefixLength: Number(bits), family };
}

export const MAX_ALLOWED_IP_RANGES = 20;

/** A list of at most MAX_ALLOWED_IP_RANGES CIDR ranges, trimmed and without repeats. */
export function requireIpRanges(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_ALLOWED_IP_RANGES) {
    throw new DomainError(
      'validation',
      'invalid_allowed_ips',
      `${field} must be a list of at most ${MAX_ALLOWED_IP_RANGES} addresses or CIDR ranges`,
      { field },
    );
  }
  const ranges: string[] = [];
  for (const entry of value) {
    const text = typeof entry === 'string' ? entry.trim() : '';
    if (parseIpRange(text) === null) {
      throw new DomainError(
        'validation',
        'invalid_allowed_ips',
        `${field} holds "${String(entry).slice(0, 60)}", which is not an address or CIDR range`,
        { field, value: String(entry).slice(0, 60) },
      );
    }
    if (!ranges.includes(text)) ranges.push(text);
  }
  return ranges;
}
