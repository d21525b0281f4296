import { isIPv6 } from 'node:net';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';

export type SubjectPolicy = 'apiKey' | 'user' | 'anonymous';

/**
 * Whose allowance a request spends: its API key's, else its user's (all their sessions together), else its client
 * address's. The guard reads this after authentication.
 */
export function rateLimitSubject(req: Request & { user?: AuthenticatedUser }): {
  policy: SubjectPolicy;
  key: string;
} {
  const user = req.user;
  if (user?.apiKey) return { policy: 'apiKey', key: `key:${user.apiKey.keyId}` };
  if (user) return { policy: 'user', key: `user:${user.userId}` };
  return { policy: 'anonymous', key: addressKey(req.ip) };
}

/**
 * `ip:<address>`: an IPv4 address as is (also when IPv4-mapped), an IPv6 address by its /64 (one customer line
 * gets a whole /64, so single IPv6 addresses cost an attacker nothing).
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'ip:unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return `ip:${mapped[1]}`;
  if (!isIPv6(ip)) return `ip:${ip}`;
  return `ip:${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros ("::" expanded, a zone id dropped). */
function ipv6Groups(ip: string): string[] {
  const [head, tail] = ip.split('%')[0].toLowerCase().split('::');
  const part = (text: string | undefined) => (text ? text.split(':') : []);
  const left = part(head);
  const right = part(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => (/\./.test(group) ? group : String(parseInt(group, 16).toString(16))));
}
